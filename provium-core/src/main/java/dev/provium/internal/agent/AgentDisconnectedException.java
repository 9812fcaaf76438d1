package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * The connection to the agent is gone: the stream ended, reading or writing failed, or the client was
 * closed. Every pending call fails with it, and so does every later call.
 */
@API(status = INTERNAL)
public class AgentDisconnectedException extends AgentException {
    private static final long serialVersionUID = 1L;

    public AgentDisconnectedException(String message) {
        super(message);
    }

    public AgentDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
