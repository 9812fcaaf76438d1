package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

/** Base of every failure of the agent client: the agent refused, did not answer, or went away. */
@API(status = INTERNAL)
public class AgentException extends ProviumException {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
