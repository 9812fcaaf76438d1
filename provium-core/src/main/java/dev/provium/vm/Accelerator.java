package dev.provium.vm;

import dev.provium.Notices;
import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.config.AccelMode;
import dev.provium.config.Constants;
import dev.provium.config.ProviumConfigException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/** The QEMU accelerator a VM runs with, and the CPU model that goes with it. */
@API(status = STABLE)
public enum Accelerator {
    KVM("kvm", "host"),
    TCG("tcg", "max");

    private static final Map<AccelMode, Accelerator> CHOSEN = new ConcurrentHashMap<>();

    private final String qemuName;
    private final String cpuModel;

    Accelerator(String qemuName, String cpuModel) {
        this.qemuName = qemuName;
        this.cpuModel = cpuModel;
    }

    /** The value of QEMU's {@code -accel}. */
    public String qemuName() {
        return qemuName;
    }

    /** The value of QEMU's {@code -cpu}. */
    public String cpuModel() {
        return cpuModel;
    }

    /**
     * The accelerator for a configured mode; the environment variable PROVIUM_ACCEL, when set, wins.
     * AUTO probes KVM (see {@link KvmProbe}). Decided once per JVM and mode, and announced once
     * through {@code notices}, e.g. "provium: using TCG (KVM not usable: /proc/cpuinfo advertises neither vmx nor svm)".
     *
     * @throws ProviumConfigException when PROVIUM_ACCEL holds something other than auto, kvm or tcg
     */
    public static Accelerator choose(AccelMode configured, Notices notices) {
        return CHOSEN.computeIfAbsent(configured,
                mode -> new Choice(System::getenv, KvmProbe.onThisHost(), notices::notice).decide(mode));
    }

    /** One decision, with its inputs injectable for tests. */
    static final class Choice {
        private final Function<String, String> environment;
        private final KvmProbe probe;
        private final Consumer<String> announcer;

        Choice(Function<String, String> environment, KvmProbe probe, Consumer<String> announcer) {
            this.environment = environment;
            this.probe = probe;
            this.announcer = announcer;
        }

        Accelerator decide(AccelMode configured) {
            String fromEnvironment = environment.apply(Constants.ACCEL_ENV);
            AccelMode mode = configured;
            String source = Constants.ACCEL + "=" + configured.value();
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                mode = AccelMode.parse(fromEnvironment).orElseThrow(() -> new ProviumConfigException(
                        "environment variable " + Constants.ACCEL_ENV + ": expected auto, kvm or tcg, got \"" + fromEnvironment + "\""));
                source = Constants.ACCEL_ENV + "=" + fromEnvironment.strip();
            }
            Accelerator chosen;
            String why;
            if (mode == AccelMode.AUTO) {
                Optional<String> kvmProblem = probe.whyNotUsable();
                chosen = kvmProblem.isEmpty() ? KVM : TCG;
                why = kvmProblem.map(problem -> "KVM not usable: " + problem).orElse("KVM works");
            } else {
                chosen = mode == AccelMode.KVM ? KVM : TCG;
                why = source;
            }
            announcer.accept("provium: using " + chosen.name() + " (" + why + ")");
            return chosen;
        }
    }
}
