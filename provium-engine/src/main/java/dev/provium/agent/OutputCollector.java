package dev.provium.agent;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/** Collects the OUTPUT frames of an EXEC, JOB_WAIT or JOB_KILL into stdout and stderr. */
final class OutputCollector implements Consumer<Frame> {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final String agentName;

    OutputCollector(String agentName) {
        this.agentName = agentName;
    }

    @Override
    public void accept(Frame frame) {
        if (frame.type() != Protocol.OUTPUT) {
            throw new AgentException("agent " + agentName + " sent an unexpected " + frame);
        }
        PayloadReader fields = new PayloadReader(frame);
        int stream = fields.u8("stream");
        byte[] data = fields.rest();
        switch (stream) {
            case Protocol.STDOUT -> stdout.writeBytes(data);
            case Protocol.STDERR -> stderr.writeBytes(data);
            default -> throw new AgentException("malformed OUTPUT payload: stream " + stream
                    + " is neither 1 (stdout) nor 2 (stderr)");
        }
    }

    byte[] stdout() {
        return stdout.toByteArray();
    }

    byte[] stderr() {
        return stderr.toByteArray();
    }
}
