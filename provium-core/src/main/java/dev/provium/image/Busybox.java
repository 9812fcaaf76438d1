package dev.provium.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The host's busybox, which becomes the guest's shell and tools. It must be statically linked: the guest
 * image carries no C library. Its applet list comes from {@code busybox --list-full}, run once per busybox
 * identity (real path, size, modification time).
 */
final class Busybox {

    static final String FIX = "install the static build: apt-get install busybox-static";

    private static final Map<String, List<String>> APPLETS = new ConcurrentHashMap<>();
    private static final long LIST_TIMEOUT_SECONDS = 30;

    private Busybox() {
    }

    /** @throws GuestImageException unless {@code busybox} is a statically linked ELF executable */
    static void requireStatic(Path busybox) {
        requireRegularFile(busybox, "Busybox");
        Optional<Elf> elf;
        try {
            elf = Elf.read(busybox);
        } catch (IOException e) {
            throw new GuestImageException("Cannot read busybox " + busybox + ": " + e.getMessage(), e);
        }
        if (elf.isEmpty()) {
            throw new GuestImageException("Busybox " + busybox + " is not an ELF executable; " + FIX);
        }
        if (elf.get().interpreter().isPresent()) {
            throw new GuestImageException("Busybox " + busybox + " is dynamically linked (interpreter "
                    + elf.get().interpreter().get() + ") but the guest has no C library; " + FIX);
        }
    }

    /** Absolute guest paths of the applets, e.g. "/bin/sh", "/usr/bin/awk"; busybox itself excluded. */
    static List<String> applets(Path busybox) {
        String identity;
        try {
            identity = CacheFiles.identityKey(busybox, "busybox-applets");
        } catch (IOException e) {
            throw new GuestImageException("Cannot read busybox " + busybox + ": " + e, e);
        }
        return APPLETS.computeIfAbsent(identity, key -> listApplets(busybox));
    }

    static void requireRegularFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new GuestImageException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new GuestImageException(what + " " + file + " is not a regular file");
        }
    }

    private static List<String> listApplets(Path busybox) {
        String command = busybox + " --list-full";
        Process process;
        try {
            process = new ProcessBuilder(busybox.toString(), "--list-full")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new GuestImageException("Cannot run '" + command + "': " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(LIST_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new GuestImageException("'" + command + "' did not finish within " + LIST_TIMEOUT_SECONDS
                        + " s");
            }
            String text = output.get(LIST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new GuestImageException("'" + command + "' failed with exit code " + process.exitValue()
                        + ": " + text.strip());
            }
            return parse(text, command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestImageException("Interrupted while running '" + command + "'", e);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new GuestImageException("Cannot read the output of '" + command + "': " + e, e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static List<String> parse(String listing, String command) {
        List<String> applets = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String path = "/" + line.strip();
            if (line.isBlank() || path.equals("/bin/busybox")) {
                continue;
            }
            GuestPaths.entryName(path, "applet listed by '" + command + "'");
            applets.add(path);
        }
        if (applets.isEmpty()) {
            throw new GuestImageException("'" + command + "' listed no applets");
        }
        return List.copyOf(applets);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
