package dev.provium.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the installed QEMU can do for snapshots, decided from its version once per JVM.
 *
 * <ul>
 *   <li>{@link #templates()}: guest RAM kept in a template file (memory-backend-file) and left out of the
 *       migration stream ({@code x-ignore-shared}, QEMU 4.0 and later). Without it, snapshots hold the full
 *       state.</li>
 *   <li>{@link #readOnlyTemplates()}: a copy maps its template with {@code readonly=on,rom=off} (QEMU 8.2);
 *       before that the template must be writable even though copies map it private.</li>
 *   <li>{@link #fileMigration()}: the {@code file:} migration URI (QEMU 8.2); before it, {@code exec:cat}.</li>
 * </ul>
 */
record QemuFeatures(int major, int minor) {
    private static final Pattern VERSION = Pattern.compile("version (\\d+)\\.(\\d+)");
    private static volatile QemuFeatures installed;

    /** The features of {@value QemuCommandLine#DEFAULT_BINARY} on the PATH; a QEMU that does not say its version gets none. */
    static QemuFeatures installed() {
        QemuFeatures features = installed;
        if (features == null) {
            features = detect(QemuCommandLine.DEFAULT_BINARY);
            installed = features;
        }
        return features;
    }

    static QemuFeatures detect(String binary) {
        try {
            Process process = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return parse(output).orElse(new QemuFeatures(0, 0));
        } catch (IOException e) {
            return new QemuFeatures(0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new QemuFeatures(0, 0);
        }
    }

    /** From {@code qemu-system-x86_64 --version}, e.g. "QEMU emulator version 7.2.22 (Debian ...)". */
    static Optional<QemuFeatures> parse(String versionOutput) {
        Matcher matcher = VERSION.matcher(versionOutput);
        return matcher.find()
                ? Optional.of(new QemuFeatures(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))))
                : Optional.empty();
    }

    boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || major == wantedMajor && minor >= wantedMinor;
    }

    boolean templates() {
        return atLeast(4, 0);
    }

    boolean readOnlyTemplates() {
        return atLeast(8, 2);
    }

    boolean fileMigration() {
        return atLeast(8, 2);
    }

    @Override
    public String toString() {
        return "QEMU " + major + "." + minor;
    }
}
