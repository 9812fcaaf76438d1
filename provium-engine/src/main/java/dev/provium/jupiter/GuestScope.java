package dev.provium.jupiter;

import dev.provium.Notices;
import dev.provium.vm.Vm;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The guests injected for one extension context (a test, or a test class): {@link #finish} stops them when the
 * context ends, shutting passing guests down, and for a failed scope keeping each console log, printing its path
 * and publishing its tail and the tail of the guest's kernel log. Stored in that context's own store: if
 * {@code finish} never ran (the run was aborted), closing the store kills what is left.
 */
final class GuestScope implements AutoCloseable {
    private static final Namespace NAMESPACE = Namespace.create(GuestScope.class);
    static final String CONSOLE_LOG_ENTRY = "provium.console_log";
    static final String CONSOLE_TAIL_ENTRY = "provium.console_tail";
    static final String KERNEL_LOG_ENTRY = "provium.kernel_log";
    private static final int KERNEL_LOG_LINES = 20;
    private static final Duration KERNEL_LOG_WAIT = Duration.ofSeconds(3);

    private final String owner;
    private final Notices notices;
    private final List<Vm> vms = new ArrayList<>();
    private boolean failed;
    private boolean finished;

    private GuestScope(String owner, Notices notices) {
        this.owner = owner;
        this.notices = notices;
    }

    /** The scope of exactly this context (not an enclosing one), created on first use. */
    static GuestScope of(ExtensionContext context, Notices notices) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId(),
                key -> new GuestScope(describe(context), notices), GuestScope.class);
    }

    /** The scope of exactly this context, if a guest was injected there. */
    static Optional<GuestScope> existing(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(context.getUniqueId(), GuestScope.class));
    }

    synchronized void add(Vm vm) {
        vms.add(vm);
    }

    /** Something in the scope failed (e.g. a test of a class whose guests were injected in {@code @BeforeAll}). */
    synchronized void markFailed() {
        failed = true;
    }

    /** Stops every guest of the scope; throws the first failure to shut one down after stopping the others. */
    void finish(ExtensionContext context) {
        List<Vm> guests;
        boolean keep;
        synchronized (this) {
            finished = true;
            failed |= context.getExecutionException().isPresent();
            keep = failed;
            guests = List.copyOf(vms);
            vms.clear();
        }
        RuntimeException failure = null;
        for (Vm vm : guests) {
            try {
                if (keep) {
                    Optional<String> kernelLog = vm.kernelLogTail(KERNEL_LOG_LINES, KERNEL_LOG_WAIT);
                    vm.keepLogs();
                    vm.kill();
                    report(vm, kernelLog, context);
                } else if (vm.state() == Vm.State.RUNNING) {
                    vm.shutdown();
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            } finally {
                vm.kill();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void report(Vm vm, Optional<String> kernelLog, ExtensionContext context) {
        Optional<java.nio.file.Path> log = vm.consoleLog().filter(Files::exists);
        String tail = vm.consoleTail().stripTrailing();
        log.ifPresent(path -> {
            notices.notice("provium: console log of vm " + vm.name() + " (" + owner + "): " + path);
            context.publishReportEntry(CONSOLE_LOG_ENTRY, path.toString());
        });
        if (!tail.isEmpty()) {
            notices.notice("--- guest console of vm " + vm.name() + " (last lines) ---\n" + tail + "\n---");
            context.publishReportEntry(CONSOLE_TAIL_ENTRY, tail);
        }
        kernelLog.ifPresent(kernel -> {
            notices.notice("--- kernel log of vm " + vm.name() + " (last lines) ---\n" + kernel + "\n---");
            context.publishReportEntry(KERNEL_LOG_ENTRY, kernel);
        });
    }

    @Override
    public void close() {
        List<Vm> left;
        synchronized (this) {
            if (finished && vms.isEmpty()) {
                return;
            }
            left = List.copyOf(vms);
            vms.clear();
        }
        left.forEach(Vm::kill);
    }

    private static String describe(ExtensionContext context) {
        String type = context.getTestClass().map(Class::getSimpleName).orElse("?");
        return context.getTestMethod().isPresent() ? "test " + context.getDisplayName() + " in " + type : "class " + type;
    }
}
