package dev.provium.vm;

import dev.provium.config.ProviumConfig;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Run in a child JVM with a small heap by {@link FaultTest}: reads endless data from two guests (a file read of
 * /dev/urandom and the stdout of `cat /dev/zero`), prints what each call failed with, and exits normally.
 */
public final class EndlessReplyMain {
    private EndlessReplyMain() {
    }

    public static void main(String[] args) {
        ProviumConfig config = ProviumConfig.load(Path.of(args[0]), key -> key.equals("provium.cache_dir")
                ? Optional.of(args[1]) : Optional.empty());
        try (VmService service = VmService.create(config)) {
            report("read_file", service, vm -> vm.readFile("/dev/urandom").length);
            report("exec", service, vm -> vm.exec("cat /dev/zero").stdout().length);
        }
        System.out.println("child done, max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
    }

    private interface Reading {
        int read(Vm vm);
    }

    private static void report(String what, VmService service, Reading reading) {
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("128M"));
            int bytes = reading.read(vm);
            System.out.println(what + " returned " + bytes + " bytes");
        } catch (VmException e) {
            System.out.println(what + " failed: " + e.reason());
        }
    }
}
