package dev.provium.jupiter;

import dev.provium.config.Constants;
import dev.provium.config.ProviumConfig;
import dev.provium.engine.MissingPrerequisites;
import dev.provium.engine.TestFileFilter;
import dev.provium.fixture.Fixtures;
import dev.provium.lua.GuestServices;
import dev.provium.vm.BootOptions;
import dev.provium.vm.Vm;
import dev.provium.vm.VmService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * What every Jupiter test of a JUnit run shares: the configuration (provium.toml with the configuration
 * parameters {@code provium.<key>} laid over it), one {@link VmService} with its resource pool and image cache,
 * one {@link Fixtures}, and the record of missing prerequisites already reported. Kept in the root context's
 * store, so it is closed (every guest still running killed) when the run ends.
 */
final class ProviumRuntime implements AutoCloseable {
    private static final Namespace NAMESPACE = Namespace.create(ProviumRuntime.class);

    private final ProviumConfig config;
    private final VmService service;
    private final GuestServices guests;
    private final MissingPrerequisites prerequisites = new MissingPrerequisites();
    private final TestFileFilter filter;

    private ProviumRuntime(ProviumConfig config) {
        this.config = config;
        this.service = VmService.create(config);
        this.guests = new GuestServices(service, Fixtures.create(service));
        this.filter = TestFileFilter.of(config);
    }

    /** The run's runtime, created by the first test that needs it. */
    static ProviumRuntime of(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(NAMESPACE).getOrComputeIfAbsent(ProviumRuntime.class, key -> {
            Path start = Path.of(root.getConfigurationParameter(Constants.parameter(Constants.PROJECT_DIR))
                    .orElse(System.getProperty("user.dir")));
            return new ProviumRuntime(ProviumConfig.load(start, root::getConfigurationParameter));
        }, ProviumRuntime.class);
    }

    ProviumConfig config() {
        return config;
    }

    GuestServices guests() {
        return guests;
    }

    MissingPrerequisites prerequisites() {
        return prerequisites;
    }

    TestFileFilter filter() {
        return filter;
    }

    /** Starts the guest a parameter asks for; it is added to {@code scope} before it starts, so it never leaks. */
    Vm start(Guest guest, GuestScope scope) {
        if (guest != null && !guest.fixture().isEmpty()) {
            if (!guest.profile().isEmpty() || !guest.memory().isEmpty() || guest.cpus() != 0 || guest.files().length > 0) {
                throw new IllegalArgumentException("@Guest(fixture = \"" + guest.fixture() + "\") takes the profile, memory,"
                        + " cpus and files of the fixture's script; leave them unset");
            }
            Vm vm = guests.resumeFixture(guest.fixture(), config.projectDir(), config.roots()).vm();
            scope.add(vm);
            return vm;
        }
        Vm vm = guest == null || guest.profile().isEmpty() ? service.create() : service.create(guest.profile());
        scope.add(vm);
        vm.boot(bootOptions(guest));
        return vm;
    }

    private BootOptions bootOptions(Guest guest) {
        BootOptions options = BootOptions.defaults();
        if (guest == null) {
            return options;
        }
        if (!guest.memory().isEmpty()) {
            options = options.withMemory(guest.memory());
        }
        if (guest.cpus() != 0) {
            options = options.withCpus(guest.cpus());
        }
        if (guest.files().length > 0) {
            options = options.withFiles(files(guest.files()));
        }
        return options;
    }

    private Map<String, Path> files(String[] specs) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String spec : specs) {
            int equals = spec.indexOf('=');
            if (equals <= 0 || equals == spec.length() - 1) {
                problems.add("'" + spec + "'");
                continue;
            }
            files.put(spec.substring(0, equals).trim(), config.projectDir().resolve(spec.substring(equals + 1).trim()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("@Guest(files = ...): " + String.join(", ", problems)
                    + " is not \"guest path=host path\"");
        }
        return files;
    }

    @Override
    public void close() {
        service.close();
    }
}
