package dev.provium.agent;

/** The agent sent no final reply to a request within its timeout; the connection stays usable. */
public class AgentTimeoutException extends AgentException {
    private static final long serialVersionUID = 1L;

    public AgentTimeoutException(String message) {
        super(message);
    }
}
