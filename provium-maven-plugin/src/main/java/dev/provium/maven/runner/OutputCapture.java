package dev.provium.maven.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Standard output that still reaches the console and is also kept for the report of the Lua file running on the
 * writing thread. The engine runs a file and all its tests on one thread, so a thread's output belongs to the file
 * bound to it between the file's start and finish.
 */
final class OutputCapture extends OutputStream {

    private final OutputStream console;
    private final Map<Thread, Deque<ByteArrayOutputStream>> bound = new ConcurrentHashMap<>();

    OutputCapture(OutputStream console) {
        this.console = console;
    }

    void bind(ByteArrayOutputStream target) {
        bound.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>()).push(target);
    }

    void unbind() {
        Deque<ByteArrayOutputStream> stack = bound.get(Thread.currentThread());
        if (stack != null) {
            stack.poll();
            if (stack.isEmpty()) {
                bound.remove(Thread.currentThread());
            }
        }
    }

    private ByteArrayOutputStream target() {
        Deque<ByteArrayOutputStream> stack = bound.get(Thread.currentThread());
        return stack == null ? null : stack.peek();
    }

    @Override
    public void write(int b) throws IOException {
        console.write(b);
        ByteArrayOutputStream target = target();
        if (target != null) {
            synchronized (target) {
                target.write(b);
            }
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        console.write(bytes, offset, length);
        ByteArrayOutputStream target = target();
        if (target != null) {
            synchronized (target) {
                target.write(bytes, offset, length);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        console.flush();
    }
}
