package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuCommandLineTest {
    @TempDir
    Path dir;
    RunDirectory run;
    Path kernel;
    Path initrd;

    @BeforeEach
    void files() throws IOException {
        run = RunDirectory.create();
        kernel = Files.writeString(dir.resolve("vmlinux"), "kernel");
        initrd = Files.writeString(dir.resolve("overlay.cpio.gz"), "initrd");
    }

    @AfterEach
    void removeRun() {
        run.close();
    }

    @Test
    void buildsTheFullCommandLine() throws IOException {
        Path disk = Files.writeString(dir.resolve("data.img"), "");
        Path qcow = Files.writeString(dir.resolve("base,v2.qcow2"), "");
        String r = run.path().toString();

        List<String> argv = QemuCommandLine.forRun(run)
                .accelerator(Accelerator.TCG)
                .memory("1G")
                .cpus(2)
                .kernel(kernel)
                .initrd(initrd)
                .kernelArgs("loglevel=7")
                .kernelArgs("  ")
                .disk(new Disk(disk, Disk.Format.RAW, true))
                .disk(new Disk(qcow, Disk.Format.QCOW2, false))
                .build();

        assertThat(argv).containsExactly(
                "qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-accel", "tcg", "-cpu", "max",
                "-m", "1G", "-smp", "2",
                "-kernel", kernel.toString(),
                "-initrd", initrd.toString(),
                "-append", "console=ttyS0 panic=-1 rdinit=/init quiet no_timer_check loglevel=7",
                "-chardev", "file,id=console,path=" + r + "/console.log",
                "-serial", "chardev:console",
                "-device", "virtio-serial-pci",
                "-chardev", "socket,id=agent,path=" + r + "/agent.sock,server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=provium.agent",
                "-chardev", "socket,id=qmp,path=" + r + "/qmp.sock,server=on,wait=off",
                "-mon", "chardev=qmp,mode=control",
                "-nic", "none",
                "-device", "vmgenid,guid=auto",
                "-drive", "file=" + disk + ",format=raw,if=virtio,readonly=on",
                "-drive", "file=" + dir.resolve("base,,v2.qcow2") + ",format=qcow2,if=virtio,readonly=off");
    }

    @Test
    void minimalCommandLineWithKvmAndIncomingMigration() {
        List<String> argv = QemuCommandLine.forRun(run)
                .binary("/opt/qemu/bin/qemu-system-x86_64")
                .accelerator(Accelerator.KVM)
                .kernel(kernel)
                .incoming("exec:cat /cache/fixture.state")
                .build();

        assertThat(argv.get(0)).isEqualTo("/opt/qemu/bin/qemu-system-x86_64");
        assertThat(argv).containsSequence("-accel", "kvm", "-cpu", "host", "-m", "512M", "-smp", "1")
                .containsSequence("-append", QemuCommandLine.BASE_KERNEL_ARGS)
                .doesNotContain("-initrd", "-drive")
                .endsWith("-incoming", "exec:cat /cache/fixture.state");
    }

    @Test
    void guestRamInATemplateFileSharedWhenMadeAndPrivateInCopies() {
        Path template = dir.resolve("memory");
        List<String> making = QemuCommandLine.forRun(run).accelerator(Accelerator.TCG).kernel(kernel).memory("256M")
                .memoryFile(template, true, false).paused().incoming("defer").build();
        assertThat(making).containsSequence("-m", "256M")
                .containsSequence("-object", "memory-backend-file,id=pc.ram,size=268435456,mem-path=" + template + ",share=on",
                        "-machine", "memory-backend=pc.ram", "-S")
                .endsWith("-incoming", "defer");

        List<String> copy = QemuCommandLine.forRun(run).accelerator(Accelerator.TCG).kernel(kernel).memory("256M")
                .memoryFile(template, false, false).build();
        assertThat(copy).contains("memory-backend-file,id=pc.ram,size=268435456,mem-path=" + template + ",share=off")
                .doesNotContain("-S");
        List<String> readOnly = QemuCommandLine.forRun(run).accelerator(Accelerator.TCG).kernel(kernel).memory("256M")
                .memoryFile(template, false, true).build();
        assertThat(readOnly).contains("memory-backend-file,id=pc.ram,size=268435456,mem-path=" + template
                + ",share=off,readonly=on,rom=off");
        assertThatThrownBy(() -> QemuCommandLine.forRun(run).memoryFile(template, true, true))
                .hasMessageContaining("cannot be mapped read-only");
    }

    @Test
    void qemuVersionsDecideTheTemplateFeatures() {
        QemuFeatures debian = QemuFeatures.parse("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright").orElseThrow();
        assertThat(debian).isEqualTo(new QemuFeatures(7, 2));
        assertThat(debian.templates()).isTrue();
        assertThat(debian.readOnlyTemplates()).isFalse();
        assertThat(debian.fileMigration()).isFalse();
        QemuFeatures recent = QemuFeatures.parse("QEMU emulator version 8.2.0").orElseThrow();
        assertThat(recent.readOnlyTemplates()).isTrue();
        assertThat(recent.fileMigration()).isTrue();
        assertThat(new QemuFeatures(3, 1).templates()).isFalse();
        assertThat(QemuFeatures.parse("qemu-kvm 1.5")).isEmpty();
    }

    @Test
    void rejectsBadMemoryAndCpus() {
        QemuCommandLine line = QemuCommandLine.forRun(run);

        assertThatThrownBy(() -> line.memory("512")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid memory size '512'");
        assertThatThrownBy(() -> line.memory("lots")).hasMessageContaining("invalid memory size 'lots'");
        assertThatThrownBy(() -> line.cpus(0)).hasMessage("cpus must be between 1 and 255, got 0");
    }

    @Test
    void needsAcceleratorAndAnExistingKernel() {
        assertThatThrownBy(() -> QemuCommandLine.forRun(run).kernel(kernel).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no accelerator");
        assertThatThrownBy(() -> QemuCommandLine.forRun(run).accelerator(Accelerator.TCG).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no kernel");
        assertThatThrownBy(() -> QemuCommandLine.forRun(run).accelerator(Accelerator.TCG).kernel(dir.resolve("nope")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel is not a readable file: " + dir.resolve("nope"));
        assertThatThrownBy(() -> QemuCommandLine.forRun(run).accelerator(Accelerator.TCG).kernel(kernel)
                .disk(new Disk(dir.resolve("missing.img"), Disk.Format.RAW, false)).build())
                .hasMessage("disk is not a readable file: " + dir.resolve("missing.img"));
    }

    @Test
    void diskFormatsParse() {
        assertThat(Disk.Format.parse("QCOW2")).isEqualTo(Disk.Format.QCOW2);
        assertThatThrownBy(() -> Disk.Format.parse("vmdk")).hasMessage("unknown disk format 'vmdk': expected raw or qcow2");
    }
}
