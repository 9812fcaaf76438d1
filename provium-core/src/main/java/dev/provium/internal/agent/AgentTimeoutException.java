package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * The agent sent no final reply to a request within its timeout. The client then cancels the request
 * (protocol CANCEL); {@link #requestEnded()} says whether the agent ended it within the grace the client
 * gives it, in which case the channel is free for the next request. The connection stays usable.
 */
@API(status = INTERNAL)
public class AgentTimeoutException extends AgentException {
    private static final long serialVersionUID = 1L;

    private final boolean requestEnded;

    public AgentTimeoutException(String message) {
        this(message, false);
    }

    public AgentTimeoutException(String message, boolean requestEnded) {
        super(message);
        this.requestEnded = requestEnded;
    }

    /** True when the agent answered the cancelled request, so its channel serves the next one. */
    public boolean requestEnded() {
        return requestEnded;
    }
}
