package dev.provium.agent;

/**
 * The connection to the agent is gone: the stream ended, reading or writing failed, or the client was
 * closed. Every pending call fails with it, and so does every later call.
 */
public class AgentDisconnectedException extends AgentException {
    private static final long serialVersionUID = 1L;

    public AgentDisconnectedException(String message) {
        super(message);
    }

    public AgentDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
