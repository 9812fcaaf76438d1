package dev.provium.vm;

import dev.provium.config.MemorySize;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The machine a guest runs in, as QEMU builds it: accelerator, memory, vCPUs, kernel, initramfs, kernel
 * command line and disks. A snapshot resumes only into the layout it was taken from, so a snapshot
 * records it and a resume rebuilds the same command line from it.
 *
 * @param kernelArgs     what goes on the kernel command line after {@link QemuCommandLine#BASE_KERNEL_ARGS}
 * @param memoryTemplate the file the guest's RAM starts from (a template snapshot's memory), mapped private
 *                       copy-on-write; null when the RAM starts empty or comes whole from the state
 */
record GuestLayout(Accelerator accelerator, MemorySize memory, int cpus, Path kernel, Path initrd,
                   List<String> kernelArgs, List<Disk> disks, Path memoryTemplate) {

    GuestLayout(Accelerator accelerator, MemorySize memory, int cpus, Path kernel, Path initrd,
                List<String> kernelArgs, List<Disk> disks) {
        this(accelerator, memory, cpus, kernel, initrd, kernelArgs, disks, null);
    }

    GuestLayout {
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        kernelArgs = kernelArgs.stream().filter(args -> !args.isBlank()).map(String::strip).toList();
        disks = List.copyOf(disks);
    }

    /** QEMU's command line for this layout with its sockets and logs in run; a template is mapped private. */
    QemuCommandLine commandLine(RunDirectory run) {
        QemuCommandLine command = baseCommandLine(run);
        if (memoryTemplate != null) {
            command.memoryFile(memoryTemplate, false, QemuFeatures.installed().readOnlyTemplates());
        }
        return command;
    }

    /** The command line of a guest whose RAM is written through to {@code template} (to save it as a template). */
    QemuCommandLine templateCommandLine(RunDirectory run, Path template) {
        return baseCommandLine(run).memoryFile(template, true, false);
    }

    private QemuCommandLine baseCommandLine(RunDirectory run) {
        QemuCommandLine command = QemuCommandLine.forRun(run)
                .accelerator(accelerator)
                .memory(memory)
                .cpus(cpus)
                .kernel(kernel)
                .initrd(initrd);
        kernelArgs.forEach(command::kernelArgs);
        disks.forEach(command::disk);
        return command;
    }

    GuestLayout withInitrd(Path file) {
        return new GuestLayout(accelerator, memory, cpus, kernel, file, kernelArgs, disks, memoryTemplate);
    }

    GuestLayout withMemoryTemplate(Path file) {
        return new GuestLayout(accelerator, memory, cpus, kernel, initrd, kernelArgs, disks, file);
    }
}
