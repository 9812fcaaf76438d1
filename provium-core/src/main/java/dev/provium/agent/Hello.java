package dev.provium.agent;

import java.util.List;

/** The agent's answer to the handshake: its protocol version, its pid and what it can do. */
public record Hello(int version, long pid, List<String> capabilities) {

    public Hello {
        capabilities = List.copyOf(capabilities);
    }

    public boolean can(String capability) {
        return capabilities.contains(capability);
    }
}
