package dev.provium.agent;

/**
 * The agent answered a request with an ERROR frame. The message is the agent's own text (it names
 * the failed step and path), followed by the error code and, when the agent gave one, the errno.
 */
public class AgentErrorException extends AgentException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final int errno;
    private final String agentMessage;

    public AgentErrorException(int code, int errno, String agentMessage) {
        super(format(code, errno, agentMessage));
        this.code = code;
        this.errno = errno;
        this.agentMessage = agentMessage;
    }

    /** The numeric error code, PROTOCOL.md §5. */
    public int code() {
        return code;
    }

    /** The error code's name, e.g. {@code OS_ERROR} or {@code VERSION_MISMATCH}. */
    public String codeName() {
        return Protocol.errorName(code);
    }

    /** The errno of the failed system call, 0 when the error is not a system call's. */
    public int errno() {
        return errno;
    }

    /** The message exactly as the agent sent it. */
    public String agentMessage() {
        return agentMessage;
    }

    private static String format(int code, int errno, String agentMessage) {
        String details = errno != 0 ? "errno " + errno + ", " + Protocol.errorName(code) : Protocol.errorName(code);
        return agentMessage + " (" + details + ")";
    }
}
