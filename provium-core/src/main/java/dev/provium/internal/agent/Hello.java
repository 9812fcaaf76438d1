package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.util.List;

/** The agent's answer to the handshake: its protocol version, its pid and what it can do. */
@API(status = INTERNAL)
public record Hello(int version, long pid, List<String> capabilities) {

    public Hello {
        capabilities = List.copyOf(capabilities);
    }

    public boolean can(String capability) {
        return capabilities.contains(capability);
    }
}
