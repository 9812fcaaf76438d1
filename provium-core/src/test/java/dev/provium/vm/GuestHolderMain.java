package dev.provium.vm;

import dev.provium.config.ProviumConfig;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Run in a child JVM by {@link FaultTest}: boots a guest of the project in args[0] (cache in args[1]), prints
 * "guest <qemu pid> <run directory>" and waits to be killed or terminated.
 */
public final class GuestHolderMain {
    private GuestHolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path project = Path.of(args[0]);
        String cache = args[1];
        ProviumConfig config = ProviumConfig.load(project, key -> key.equals("provium.cache_dir")
                ? Optional.of(cache) : Optional.empty());
        VmService service = VmService.create(config);
        Vm vm = service.create();
        vm.boot(BootOptions.defaults().withMemory("128M"));
        System.out.println("guest " + vm.qemuPid().orElseThrow() + " " + vm.runDirectory().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
