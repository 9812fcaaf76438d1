package dev.provium.internal.agent;

import java.util.function.Consumer;

/** Collects the OUTPUT frames of an EXEC, JOB_WAIT or JOB_KILL into stdout and stderr. */
final class OutputCollector implements Consumer<Frame> {
    private final ReplyBuffer stdout;
    private final ReplyBuffer stderr;
    private final String agentName;

    /** @param what the request, as error messages name it, e.g. "exec `make`" */
    OutputCollector(String agentName, String what) {
        this.agentName = agentName;
        this.stdout = new ReplyBuffer("stdout of " + what);
        this.stderr = new ReplyBuffer("stderr of " + what);
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
