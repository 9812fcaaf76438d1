package dev.provium.image;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves kernel module names to the module files to load, dependencies first, from the
 * {@code modules.dep} that depmod wrote. Modules listed in {@code modules.builtin} are part of the kernel
 * and need no file.
 */
final class ModuleResolver {

    private ModuleResolver() {
    }

    /**
     * @param modulesDir e.g. {@code /lib/modules/6.1.0-56-amd64}
     * @param names      module names as modprobe takes them; '-' and '_' are interchangeable
     * @return absolute module files under {@code modulesDir} in load order, without duplicates; possibly
     *         compressed ({@code .ko.xz}, {@code .ko.zst}, {@code .ko.gz})
     * @throws GuestImageException when {@code modules.dep} is missing or unreadable, a name is unknown, or a
     *                             listed module file does not exist
     */
    public static List<Path> resolve(Path modulesDir, List<String> names) {
        Map<String, List<String>> dependencies = readModulesDep(modulesDir);
        Set<String> builtin = readBuiltin(modulesDir);
        Map<String, String> pathByName = new HashMap<>();
        for (String path : dependencies.keySet()) {
            pathByName.put(moduleName(path), path);
        }
        Set<String> order = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new GuestImageException("Blank kernel module name in " + names);
            }
            String key = normalize(name);
            if (pathByName.containsKey(key)) {
                visit(pathByName.get(key), dependencies, order, new HashSet<>());
            } else if (!builtin.contains(key)) {
                throw new GuestImageException("Kernel module '" + name + "' is neither listed in " + modulesDir
                        .resolve("modules.dep") + " nor built in (modules.builtin); check the name against the"
                        + " kernel's configuration");
            }
        }
        List<Path> files = new ArrayList<>();
        for (String relative : order) {
            Path file = modulesDir.resolve(relative).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new GuestImageException("Module file " + file + " is listed in " + modulesDir
                        .resolve("modules.dep") + " but does not exist; reinstall the kernel's modules package");
            }
            files.add(file);
        }
        return List.copyOf(files);
    }

    /**
     * Depth-first: each module after its dependencies. modules.dep lists a module's dependencies in the
     * reverse of load order (modprobe loads them from the last to the first), so they are visited backwards.
     */
    private static void visit(String module, Map<String, List<String>> dependencies, Set<String> order,
            Set<String> visiting) {
        if (order.contains(module) || !visiting.add(module)) {
            return; // done already, or a dependency cycle (depmod refuses those; do not loop on a bad file)
        }
        List<String> needs = dependencies.getOrDefault(module, List.of());
        for (int i = needs.size() - 1; i >= 0; i--) {
            visit(needs.get(i), dependencies, order, visiting);
        }
        order.add(module);
    }

    private static Map<String, List<String>> readModulesDep(Path modulesDir) {
        Path file = modulesDir.resolve("modules.dep");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new GuestImageException("No " + file + ": the kernel's modules are not installed or depmod has"
                    + " not run (run 'depmod " + modulesDir.getFileName() + "')", e);
        } catch (IOException e) {
            throw new GuestImageException("Cannot read " + file + ": " + e, e);
        }
        Map<String, List<String>> dependencies = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new GuestImageException(file + " line " + (i + 1) + " is not 'module: dependencies': "
                        + line);
            }
            String rest = line.substring(colon + 1).strip();
            List<String> needs = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
            dependencies.put(line.substring(0, colon).strip(), needs);
        }
        return dependencies;
    }

    private static Set<String> readBuiltin(Path modulesDir) {
        Path file = modulesDir.resolve("modules.builtin");
        if (!Files.exists(file)) {
            return Set.of();
        }
        try {
            Set<String> names = new HashSet<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    names.add(moduleName(line.strip()));
                }
            }
            return names;
        } catch (IOException e) {
            throw new GuestImageException("Cannot read " + file + ": " + e, e);
        }
    }

    /** "kernel/drivers/char/virtio_console.ko.xz" → "virtio_console". */
    static String moduleName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int ko = file.indexOf(".ko");
        return normalize(ko >= 0 ? file.substring(0, ko) : file);
    }

    private static String normalize(String name) {
        return name.strip().replace('-', '_');
    }
}
