package dev.provium.guest;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.provium.ProviumException;

import org.apiguardian.api.API;

/**
 * The agent answered a request with an ERROR frame. The message is the agent's own text (it names
 * the failed step and path), followed by the error code and, when the agent gave one, the errno.
 */
@API(status = STABLE)
public class AgentErrorException extends ProviumException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final int errno;
    private final String codeName;
    private final String agentMessage;

    @API(status = INTERNAL)
    public AgentErrorException(int code, String codeName, int errno, String agentMessage) {
        super(agentMessage + " (" + (errno != 0 ? "errno " + errno + ", " : "") + codeName + ")");
        this.code = code;
        this.codeName = codeName;
        this.errno = errno;
        this.agentMessage = agentMessage;
    }

    /** The numeric error code, PROTOCOL.md §5. */
    public int code() {
        return code;
    }

    /** The error code's name, e.g. {@code OS_ERROR} or {@code VERSION_MISMATCH}. */
    public String codeName() {
        return codeName;
    }

    /** The errno of the failed system call, 0 when the error is not a system call's. */
    public int errno() {
        return errno;
    }

    /** The message exactly as the agent sent it. */
    public String agentMessage() {
        return agentMessage;
    }

}
