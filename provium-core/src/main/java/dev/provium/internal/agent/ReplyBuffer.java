package dev.provium.internal.agent;

import java.io.ByteArrayOutputStream;

/**
 * Collects the data of one reply in memory, up to {@value #LIMIT} bytes: a guest that streams without end
 * ({@code read_file /dev/zero}, {@code yes}) fails the call instead of the test JVM.
 */
final class ReplyBuffer extends ByteArrayOutputStream {
    static final int LIMIT = 256 * 1024 * 1024;

    private final String what;

    /** @param what the reply, as error messages name it, e.g. "stdout of exec `yes`" */
    ReplyBuffer(String what) {
        this.what = what;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if ((long) count + length > LIMIT) {
            throw new AgentOverflowException(what + " passed " + LIMIT / (1024 * 1024)
                    + " MiB, the most one reply may hold in memory; write big data to a guest file and copy it in parts");
        }
        super.write(bytes, offset, length);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }
}
