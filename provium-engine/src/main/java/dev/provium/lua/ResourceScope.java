package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resources owned by a Lua file or by one {@code test()} (VMs, workers, background jobs), closed in reverse
 * order of registration when their owner ends. Closing is idempotent; a failure while closing one resource
 * does not stop the others from being closed.
 */
@API(status = INTERNAL)
public final class ResourceScope implements AutoCloseable {

    private final String owner;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private boolean closed;

    /** @param owner what owns these resources, used in error messages, e.g. {@code test 'boots' in boot.lua} */
    public ResourceScope(String owner) {
        this.owner = owner;
    }

    public String owner() {
        return owner;
    }

    /** Registers a resource to close when this scope ends; returns it for chaining. */
    public synchronized <T extends AutoCloseable> T register(T resource) {
        if (closed) {
            throw new IllegalStateException(owner + " has already ended; cannot take ownership of " + resource);
        }
        resources.push(resource);
        return resource;
    }

    /** Forgets a resource without closing it (e.g. a VM the script shut down itself). */
    public synchronized boolean release(AutoCloseable resource) {
        return resources.removeIf(r -> r == resource);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes every registered resource, newest first. The first failure is thrown (as an
     * {@link IllegalStateException} naming the owner and the resource, with the original as its cause) once all
     * were tried; later ones are attached to it as suppressed exceptions.
     */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        RuntimeException failure = null;
        for (AutoCloseable resource : toClose) {
            try {
                resource.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                RuntimeException wrapped = new IllegalStateException(
                        "cleanup at the end of " + owner + " failed for " + resource + ": " + e.getMessage(), e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "resources of " + owner;
    }
}
