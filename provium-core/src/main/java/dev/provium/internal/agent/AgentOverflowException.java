package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A reply grew past what the client keeps in memory ({@link ReplyBuffer#LIMIT}); the call was abandoned,
 * but the agent may still be sending the rest of it.
 */
@API(status = INTERNAL)
public class AgentOverflowException extends AgentException {
    private static final long serialVersionUID = 1L;

    public AgentOverflowException(String message) {
        super(message);
    }
}
