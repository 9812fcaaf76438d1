package dev.provium.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResourceScopeTest {

    private final List<String> closed = new ArrayList<>();

    @Test
    void closesNewestFirstAndOnlyOnce() {
        ResourceScope scope = new ResourceScope("boot.lua");
        scope.register(() -> closed.add("vm1"));
        scope.register(() -> closed.add("vm2"));

        scope.close();
        scope.close();

        assertThat(closed).containsExactly("vm2", "vm1");
        assertThat(scope.isClosed()).isTrue();
    }

    @Test
    void released() {
        ResourceScope scope = new ResourceScope("boot.lua");
        AutoCloseable vm = () -> closed.add("vm");
        scope.register(vm);

        assertThat(scope.release(vm)).isTrue();
        scope.close();

        assertThat(closed).isEmpty();
    }

    @Test
    void everyResourceIsClosedEvenWhenOneFails() {
        ResourceScope scope = new ResourceScope("test 'x' in boot.lua");
        scope.register(() -> closed.add("first"));
        scope.register(() -> {
            throw new IOException("socket gone");
        });
        scope.register(() -> {
            throw new IllegalStateException("QEMU hung");
        });

        assertThatThrownBy(scope::close).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cleanup at the end of test 'x' in boot.lua failed for ")
                .hasMessageEndingWith(": QEMU hung")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessageEndingWith(": socket gone")));
        assertThat(closed).containsExactly("first");
    }

    @Test
    void refusesResourcesAfterItEnded() {
        ResourceScope scope = new ResourceScope("boot.lua");
        scope.close();

        assertThatThrownBy(() -> scope.register(() -> closed.add("late")))
                .hasMessageStartingWith("boot.lua has already ended; cannot take ownership of ");
    }

    @Test
    void fileContextGivesEachTestItsOwnScope() {
        FileRunContext context = new FileRunContext(Path.of("/p/boot.lua"), "boot.lua", Path.of("/p"), List.of());
        context.currentScope().register(() -> closed.add("file vm"));
        context.beginTest("boots");
        assertThat(context.currentTest()).contains("boots");
        context.currentScope().register(() -> closed.add("worker"));

        context.endTest();
        assertThat(closed).containsExactly("worker");
        assertThat(context.currentTest()).isEmpty();
        assertThat(context.currentScope()).isSameAs(context.fileScope());

        context.close();
        assertThat(closed).containsExactly("worker", "file vm");
    }

    @Test
    void closingTheFileEndsATestLeftOpenFirst() {
        FileRunContext context = new FileRunContext(Path.of("/p/boot.lua"), "boot.lua", Path.of("/p"), List.of());
        context.fileScope().register(() -> closed.add("vm"));
        context.beginTest("boots");
        context.currentScope().register(() -> closed.add("job"));

        context.close();

        assertThat(closed).containsExactly("job", "vm");
    }
}
