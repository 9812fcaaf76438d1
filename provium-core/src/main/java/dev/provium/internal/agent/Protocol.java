package dev.provium.internal.agent;

/** Every number of the wire protocol (provium-agent/PROTOCOL.md), in one place. */
final class Protocol {
    static final int VERSION = 2;

    static final byte[] MAGIC = {'P', 'R', 'V', 'M'};
    static final int HEADER_SIZE = 20;
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;
    static final int MAX_DATA_CHUNK = 1024 * 1024;

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
    static final int SYSCALL = 0x08;
    static final int IOCTL = 0x09;
    static final int BACKGROUND = 0x0A;
    static final int JOB_WAIT = 0x0B;
    static final int JOB_KILL = 0x0C;
    static final int SPAWN = 0x0D;
    static final int KILL_WORKER = 0x0E;
    static final int DMESG = 0x0F;
    /** Served by the agent's router on any channel: u16 channel, u32 request id of the request to cancel. */
    static final int CANCEL = 0x10;

    // Replies, agent -> host.
    static final int HELLO_OK = 0x81;
    static final int OUTPUT = 0x82;
    static final int EXIT = 0x83;
    static final int DATA_REPLY = 0x84;
    static final int DONE = 0x85;
    static final int OK = 0x86;
    static final int PONG = 0x87;
    static final int SYSCALL_RESULT = 0x88;
    static final int JOB_STARTED = 0x8A;
    static final int JOB_STATUS = 0x8B;
    static final int SPAWNED = 0x8D;
    /** u8 state: {@link #CANCEL_REQUESTED} or {@link #CANCEL_NOT_PENDING}. */
    static final int CANCEL_STATUS = 0x90;
    static final int ERROR = 0xFF;

    static final int STDOUT = 1;
    static final int STDERR = 2;

    static final int EXIT_SIGNALED = 0x01;
    static final int EXIT_TIMED_OUT = 0x02;
    static final int EXIT_CANCELLED = 0x04;

    /** The request was in flight: it was told to stop, and its own final reply follows. */
    static final int CANCEL_REQUESTED = 0;
    /** The request was not in flight: answered already, or never sent. */
    static final int CANCEL_NOT_PENDING = 1;

    static final int JOB_SIGNALED = 0x01;
    static final int JOB_RUNNING = 0x02;

    static final int SPAWN_FORK = 0;
    static final int SPAWN_THREAD = 1;

    // SYSCALL and IOCTL limits (the agent checks them too).
    /** The SYSCALL limits of protocol.h are {@link dev.provium.guest.SyscallRequest}'s MAX_* constants. */
    static final int BUFFER_RETURN = 0x01;

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
    static final int NOT_FOUND = 10;
    static final int LIMIT = 11;
    static final int CANCELLED = 12;

    private static final String[] ERROR_NAMES = {
        null, "BAD_FRAME", "TOO_LARGE", "UNKNOWN_TYPE", "MALFORMED", "VERSION_MISMATCH",
        "OS_ERROR", "TRUNCATED", "UNKNOWN_CHANNEL", "UNEXPECTED", "NOT_FOUND", "LIMIT", "CANCELLED",
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
            case SYSCALL -> "SYSCALL";
            case IOCTL -> "IOCTL";
            case BACKGROUND -> "BACKGROUND";
            case JOB_WAIT -> "JOB_WAIT";
            case JOB_KILL -> "JOB_KILL";
            case SPAWN -> "SPAWN";
            case KILL_WORKER -> "KILL_WORKER";
            case DMESG -> "DMESG";
            case CANCEL -> "CANCEL";
            case HELLO_OK -> "HELLO_OK";
            case OUTPUT -> "OUTPUT";
            case EXIT -> "EXIT";
            case DONE -> "DONE";
            case OK -> "OK";
            case PONG -> "PONG";
            case SYSCALL_RESULT -> "SYSCALL_RESULT";
            case JOB_STARTED -> "JOB_STARTED";
            case JOB_STATUS -> "JOB_STATUS";
            case SPAWNED -> "SPAWNED";
            case CANCEL_STATUS -> "CANCEL_STATUS";
            case ERROR -> "ERROR";
            default -> String.format("type 0x%02X", type);
        };
    }
}
