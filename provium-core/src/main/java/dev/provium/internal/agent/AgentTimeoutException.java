package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** The agent sent no final reply to a request within its timeout; the connection stays usable. */
@API(status = INTERNAL)
public class AgentTimeoutException extends AgentException {
    private static final long serialVersionUID = 1L;

    public AgentTimeoutException(String message) {
        super(message);
    }
}
