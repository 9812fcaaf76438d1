package dev.provium.vm;

import dev.provium.Notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.provium.config.AccelMode;
import dev.provium.config.ProviumConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorTest {
    @TempDir
    Path dir;

    private final List<String> announced = new ArrayList<>();

    private KvmProbe probe(boolean deviceExists, String cpuFlags, Optional<String> guestFailure) throws IOException {
        Path device = dir.resolve("kvm");
        if (deviceExists) {
            Files.writeString(device, "");
        }
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nflags\t\t: fpu sse2 " + cpuFlags + " lm\n\n");
        return new KvmProbe(device, cpuinfo, accelerator -> guestFailure);
    }

    private Accelerator decide(AccelMode mode, Map<String, String> environment, KvmProbe probe) {
        return new Accelerator.Choice(environment::get, probe, announced::add).decide(mode);
    }

    @Test
    void autoUsesKvmOnlyWhenEverythingWorks() throws IOException {
        assertThat(decide(AccelMode.AUTO, Map.of(), probe(true, "vmx", Optional.empty()))).isEqualTo(Accelerator.KVM);
        assertThat(announced).containsExactly("provium: using KVM (KVM works)");
    }

    @Test
    void autoFallsBackToTcgWithTheReason() throws IOException {
        assertThat(decide(AccelMode.AUTO, Map.of(), probe(false, "vmx", Optional.empty()))).isEqualTo(Accelerator.TCG);
        assertThat(decide(AccelMode.AUTO, Map.of(), probe(true, "", Optional.empty()))).isEqualTo(Accelerator.TCG);
        assertThat(decide(AccelMode.AUTO, Map.of(), probe(true, "svm", Optional.of("a test guest hung")))).isEqualTo(Accelerator.TCG);

        assertThat(announced).containsExactly(
                "provium: using TCG (KVM not usable: " + dir.resolve("kvm") + " does not exist)",
                "provium: using TCG (KVM not usable: " + dir.resolve("cpuinfo") + " advertises neither vmx nor svm)",
                "provium: using TCG (KVM not usable: a test guest hung)");
    }

    @Test
    void theEnvironmentWinsOverTheConfiguration() throws IOException {
        KvmProbe works = probe(true, "vmx", Optional.empty());

        assertThat(decide(AccelMode.KVM, Map.of("PROVIUM_ACCEL", "tcg"), works)).isEqualTo(Accelerator.TCG);
        assertThat(decide(AccelMode.TCG, Map.of(), works)).isEqualTo(Accelerator.TCG);
        assertThat(decide(AccelMode.KVM, Map.of(), works)).isEqualTo(Accelerator.KVM);
        assertThat(announced).containsExactly("provium: using TCG (PROVIUM_ACCEL=tcg)", "provium: using TCG (accel=tcg)",
                "provium: using KVM (accel=kvm)");
        assertThatThrownBy(() -> decide(AccelMode.AUTO, Map.of("PROVIUM_ACCEL", "fast"), works))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessage("environment variable PROVIUM_ACCEL: expected auto, kvm or tcg, got \"fast\"");
    }

    @Test
    void theProbeFirmwareHasItsResetVectorAndCode() {
        byte[] image = ProbeFirmware.image();

        assertThat(image).hasSize(65536);
        assertThat(image[0xFFF0] & 0xFF).isEqualTo(0xE9);
        assertThat(new byte[] {image[0xE01E], image[0xE01F], image[0xE020], image[0xE021], image[0xE022]})
                .containsExactly(0xB0, 0x01, 0xE6, 0xF4, 0xF4);
    }

    @Test
    void theProbeGuestRunsUnderTcg() {
        TestQemu.assumeInstalled();

        assertThat(KvmProbe.runProbeGuest("tcg")).isEmpty();
    }

    @Test
    void onThisMachineAutoResolvesToTcg() {
        TestQemu.assumeInstalled();
        assumeTrue(System.getenv("PROVIUM_ACCEL") == null, "PROVIUM_ACCEL is set");

        Optional<String> why = KvmProbe.onThisHost().whyNotUsable();

        assertThat(why).as("reason KVM is not usable here").isPresent();
        assertThat(Accelerator.choose(AccelMode.AUTO, Notices.none())).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.choose(AccelMode.AUTO, Notices.none())).isEqualTo(Accelerator.TCG);
    }

    @Test
    void theProbeGuestFailsOnAKvmThatCannotBeHealthy() throws IOException {
        TestQemu.assumeInstalled();
        Path kvm = Path.of("/dev/kvm");
        assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm), "no usable /dev/kvm device node");
        assumeTrue(!Files.readString(Path.of("/proc/cpuinfo")).matches("(?s).*\\b(vmx|svm)\\b.*"), "this CPU advertises vmx or svm");

        // A /dev/kvm without vmx/svm is this project's CI kind: real-mode code runs there, Linux hangs;
        // the probe guest's switch to protected mode must expose that on its own.
        assertThat(KvmProbe.runProbeGuest("kvm")).hasValueSatisfying(reason -> assertThat(reason).contains("-accel kvm"));
    }
}
