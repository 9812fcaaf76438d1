package dev.provium.internal.agent;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the data of one reply in memory, up to a limit (the {@code reply_limit} setting, by default an
 * eighth of the JVM's heap): a guest that streams without end ({@code read_file /dev/zero}, {@code yes}) fails
 * the call with {@link AgentOverflowException} instead of the test JVM with an OutOfMemoryError. The data is
 * kept as the chunks that came in and joined once at the end, so a reply at the limit needs about twice the
 * limit of heap, never more.
 */
final class ReplyBuffer extends OutputStream {
    private static final long MIB = 1L << 20;

    private final String what;
    private final long limit;
    private final List<byte[]> chunks = new ArrayList<>();
    private long count;

    /**
     * @param what  the reply, as error messages name it, e.g. "stdout of exec `yes`"
     * @param limit the most bytes it may hold
     */
    ReplyBuffer(String what, long limit) {
        this.what = what;
        this.limit = limit;
    }

    /** An eighth of the heap, in whole MiB (at least 1 MiB): the default of {@code reply_limit}. */
    static long defaultLimit() {
        long share = Runtime.getRuntime().maxMemory() / 8;
        return Math.max(MIB, Math.min(2047 * MIB, share) / MIB * MIB);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (count + length > limit) {
            throw new AgentOverflowException(what + " passed " + describe(limit) + ", the reply limit: a reply is held"
                    + " in memory whole, and the limit keeps an endless or huge one from exhausting the JVM's heap."
                    + " Read big or endless data in parts (e.g. `head -c 1M FILE`, `dd`), or raise the limit with"
                    + " reply_limit in [provium] of provium.toml or -Dprovium.reply_limit=… (default: an eighth of"
                    + " the heap, -Xmx)");
        }
        if (length > 0) {
            byte[] chunk = new byte[length];
            System.arraycopy(bytes, offset, chunk, 0, length);
            chunks.add(chunk);
            count += length;
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    void writeBytes(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    synchronized long size() {
        return count;
    }

    synchronized byte[] toByteArray() {
        byte[] all = new byte[(int) count];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        return all;
    }

    private static String describe(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes + " bytes";
    }
}
