package dev.provium.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * QEMU processes started ahead, with {@code -incoming defer}, for the snapshot layouts resumed last: a
 * resume that finds one only streams the device state into it. At most {@link #MAX} wait at a time, one
 * per layout, each holding its guest's lease from the resource pool (taken only when free at once, and
 * given up when a boot needs the room: {@link #releaseAll()}). They are ordinary Provium QEMUs (tracked,
 * under the parent-death signal) and {@link #close()} ends them, with the service.
 */
final class Prestarts implements AutoCloseable {
    static final int MAX = 2;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    /**
     * What a QEMU started ahead fits: the layout (its command line) and the identity of the snapshot's files
     * (a snapshot saved again at the same path has a new template, which a QEMU that mapped the old one
     * must not load a new state into).
     */
    record Key(GuestLayout layout, String files) {
        static Key of(VmSnapshot snapshot) {
            StringBuilder identity = new StringBuilder();
            for (Path file : List.of(snapshot.stateFile(), snapshot.directory().resolve(VmSnapshot.MEMORY_FILE))) {
                try {
                    Map<String, Object> attributes = Files.readAttributes(file, "unix:ino,size,lastModifiedTime");
                    identity.append(attributes.get("ino")).append('/').append(attributes.get("size")).append('/')
                            .append(attributes.get("lastModifiedTime")).append(' ');
                } catch (NoSuchFileException absent) {
                    identity.append("absent ");
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    identity.append(UUID.randomUUID()).append(' '); // unknown: matches nothing
                }
            }
            return new Key(snapshot.layout(), identity.toString());
        }
    }

    /** A QEMU waiting for a state, its run directory and the lease it holds. */
    record Prestarted(RunDirectory run, QemuProcess qemu, ResourcePool.Lease lease) {
        void discard() {
            try {
                qemu.kill();
            } finally {
                lease.close();
                run.close();
            }
        }
    }

    private final ResourcePool pool;
    private final int max;
    private final Map<Key, Prestarted> ready = new LinkedHashMap<>();
    private final ExecutorService starter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "provium-qemu-ahead");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;
    /** Bumped by {@link #releaseAll()}: a start that began before it gives its room back too. */
    private long generation;

    Prestarts(ResourcePool pool, int max) {
        this.pool = pool;
        this.max = max;
    }

    /** The QEMU started ahead for the snapshot, if one is waiting; it is the caller's from now on. */
    Optional<Prestarted> take(Key key) {
        Prestarted found;
        synchronized (this) {
            found = ready.remove(key);
        }
        if (found != null && !found.qemu().isAlive()) {
            found.discard();
            return Optional.empty();
        }
        return Optional.ofNullable(found);
    }

    /** Starts, in the background, a QEMU for the snapshot unless one waits already or there is no free room. */
    void replenish(Key key) {
        if (max <= 0) {
            return;
        }
        synchronized (this) {
            if (closed || ready.containsKey(key)) {
                return;
            }
        }
        try {
            starter.execute(() -> startAhead(key));
        } catch (RejectedExecutionException closing) {
            // the service is closing
        }
    }

    private void startAhead(Key key) {
        GuestLayout layout = key.layout();
        long began;
        synchronized (this) {
            if (closed || ready.containsKey(key)) {
                return;
            }
            began = generation;
        }
        ResourcePool.Lease lease;
        try {
            lease = pool.acquire(layout.memory(), layout.cpus(), Duration.ZERO);
        } catch (ResourcePoolException | InterruptedException full) {
            return; // no room now: resumes start their own QEMU
        }
        RunDirectory run = null;
        Prestarted started;
        try {
            run = RunDirectory.create();
            QemuProcess qemu = QemuProcess.start(layout.commandLine(run).incoming("defer").build(), run.qemuOutput());
            started = new Prestarted(run, qemu, lease);
        } catch (RuntimeException e) {
            lease.close();
            if (run != null) {
                run.close();
            }
            return; // a resume will start QEMU itself, and report what goes wrong
        }
        List<Prestarted> surplus = new ArrayList<>();
        synchronized (this) {
            if (closed || generation != began || ready.containsKey(key)) {
                surplus.add(started);
            } else {
                ready.put(key, started);
                Iterator<Prestarted> oldest = ready.values().iterator();
                while (ready.size() > max) {
                    surplus.add(oldest.next());
                    oldest.remove();
                }
            }
        }
        surplus.forEach(Prestarted::discard);
    }

    /** Ends every QEMU waiting, giving their leases back (a boot needs the room). */
    void releaseAll() {
        List<Prestarted> all;
        synchronized (this) {
            generation++;
            all = new ArrayList<>(ready.values());
            ready.clear();
        }
        all.forEach(Prestarted::discard);
    }

    /** How many wait now. */
    synchronized int waiting() {
        return ready.size();
    }

    /** Ends every QEMU waiting and any being started; later requests start nothing. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        starter.shutdown();
        try {
            starter.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseAll();
    }
}
