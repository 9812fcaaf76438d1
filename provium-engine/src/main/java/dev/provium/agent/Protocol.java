package dev.provium.agent;

/** Every number of the wire protocol (provium-agent/PROTOCOL.md), in one place. */
final class Protocol {
    static final int VERSION = 1;

    static final byte[] MAGIC = {'P', 'R', 'V', 'M'};
    static final int HEADER_SIZE = 20;
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;
    static final int MAX_DATA_CHUNK = 1024 * 1024;
    static final int MAX_OUTPUT_CHUNK = 64 * 1024;

    static final int FLAG_MORE = 0x01;
    static final int AGENT_CHANNEL = 0;
    /** Request id of messages that answer no request. */
    static final int NO_REQUEST = 0;

    // Requests, host -> agent.
    static final int HELLO = 0x01;
    static final int EXEC = 0x02;
    static final int WRITE_FILE = 0x03;
    static final int DATA = 0x04;
    static final int READ_FILE = 0x05;
    static final int SHUTDOWN = 0x06;
    static final int PING = 0x07;

    // Replies, agent -> host.
    static final int HELLO_OK = 0x81;
    static final int OUTPUT = 0x82;
    static final int EXIT = 0x83;
    static final int DATA_REPLY = 0x84;
    static final int DONE = 0x85;
    static final int OK = 0x86;
    static final int PONG = 0x87;
    static final int ERROR = 0xFF;

    static final int STDOUT = 1;
    static final int STDERR = 2;

    static final int EXIT_SIGNALED = 0x01;
    static final int EXIT_TIMED_OUT = 0x02;

    // ERROR codes.
    static final int BAD_FRAME = 1;
    static final int TOO_LARGE = 2;
    static final int UNKNOWN_TYPE = 3;
    static final int MALFORMED = 4;
    static final int VERSION_MISMATCH = 5;
    static final int OS_ERROR = 6;
    static final int TRUNCATED = 7;
    static final int UNKNOWN_CHANNEL = 8;
    static final int UNEXPECTED = 9;

    private static final String[] ERROR_NAMES = {
        null, "BAD_FRAME", "TOO_LARGE", "UNKNOWN_TYPE", "MALFORMED", "VERSION_MISMATCH",
        "OS_ERROR", "TRUNCATED", "UNKNOWN_CHANNEL", "UNEXPECTED",
    };

    private Protocol() {}

    /** Replies that end a request; OUTPUT and DATA are followed by more. */
    static boolean isFinal(int type) {
        return type != OUTPUT && type != DATA_REPLY;
    }

    static String errorName(int code) {
        return code > 0 && code < ERROR_NAMES.length ? ERROR_NAMES[code] : "error code " + code;
    }

    static String typeName(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case EXEC -> "EXEC";
            case WRITE_FILE -> "WRITE_FILE";
            case DATA, DATA_REPLY -> "DATA";
            case READ_FILE -> "READ_FILE";
            case SHUTDOWN -> "SHUTDOWN";
            case PING -> "PING";
            case HELLO_OK -> "HELLO_OK";
            case OUTPUT -> "OUTPUT";
            case EXIT -> "EXIT";
            case DONE -> "DONE";
            case OK -> "OK";
            case PONG -> "PONG";
            case ERROR -> "ERROR";
            default -> String.format("type 0x%02X", type);
        };
    }
}
