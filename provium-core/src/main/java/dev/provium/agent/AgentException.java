package dev.provium.agent;

import dev.provium.ProviumException;

/** Base of every failure of the agent client: the agent refused, did not answer, or went away. */
public class AgentException extends ProviumException {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
