package dev.provium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviumConfigTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private Path configFile(String toml) throws IOException {
        return write("provium.toml", toml);
    }

    @Test
    void withoutFileEverythingIsDefault() {
        ProviumConfig config = ProviumConfig.load(dir);

        assertThat(config.file()).isEmpty();
        assertThat(config.projectDir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(config.roots()).containsExactly(config.projectDir().resolve("src/test/lua"));
        assertThat(config.accel()).isEqualTo(AccelMode.AUTO);
        assertThat(config.memoryBudget()).isEmpty();
        assertThat(config.cpusBudget()).isEmpty();
        assertThat(config.bootTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.keepLogs()).isEqualTo(KeepLogs.FAILED);
        assertThat(config.fixtureCacheSize()).isEqualTo(MemorySize.parse("10G"));
        assertThat(config.clearFixtureCache()).isFalse();
        assertThat(config.cacheDir()).isAbsolute();
        assertThat(config.cacheDir().getFileName()).hasToString("provium");
        assertThat(config.profileNames()).containsExactly("default");
        assertThat(config.profile("default"))
                .isEqualTo(new Profile("default", Optional.empty(), Optional.empty(), Optional.empty(), ""));
    }

    @Test
    void engineSettingsComeFromTheFileAndParametersWinOverIt() throws IOException {
        Files.createDirectories(dir.resolve("src/test/lua"));
        configFile("""
                [provium]
                include = ["net/**", "boot.lua"]
                exclude = ["net/slow/**"]
                parallelism = 3
                class_source = false
                console_progress = false
                """);

        ProviumConfig fromFile = ProviumConfig.load(dir);
        assertThat(fromFile.include()).containsExactly("net/**", "boot.lua");
        assertThat(fromFile.exclude()).containsExactly("net/slow/**");
        assertThat(fromFile.parallelism()).isEqualTo(OptionalInt.of(3));
        assertThat(fromFile.classSource()).isFalse();
        assertThat(fromFile.consoleProgress()).isFalse();

        Map<String, String> parameters = Map.of(
                "provium.include", "a.lua, b/**",
                "provium.parallelism", "1",
                "provium.console_progress", "true");
        ProviumConfig overridden = ProviumConfig.load(dir, key -> Optional.ofNullable(parameters.get(key)));
        assertThat(overridden.include()).containsExactly("a.lua", "b/**");
        assertThat(overridden.exclude()).containsExactly("net/slow/**");
        assertThat(overridden.parallelism()).isEqualTo(OptionalInt.of(1));
        assertThat(overridden.consoleProgress()).isTrue();
    }

    @Test
    void engineSettingsHaveDefaultsAndNameTheKeyWhenWrong() throws IOException {
        Files.createDirectories(dir.resolve("src/test/lua"));
        ProviumConfig defaults = ProviumConfig.load(dir);
        assertThat(defaults.include()).isEmpty();
        assertThat(defaults.parallelism()).isEmpty();
        assertThat(defaults.classSource()).isTrue();
        assertThat(defaults.consoleProgress()).isTrue();

        configFile("""
                [provium]
                parallelism = 0
                """);
        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessageContaining("provium.toml")
                .hasMessageContaining("parallelism")
                .hasMessageContaining("expected a positive integer, got 0");
    }

    @Test
    void readsAValidFileWithRelativePathsResolvedAgainstItsDirectory() throws IOException {
        Files.createDirectories(dir.resolve("lua/a"));
        Files.createDirectories(dir.resolve("lua/b"));
        Path kernel = write("kernels/vmlinuz", "k");
        Path initrd = write("testdata/rootfs.cpio.gz", "i");
        configFile("""
                # Provium settings
                [provium]
                roots = ["lua/a", "lua/b"]
                accel = "tcg"
                memory = "4G"
                cpus = 3
                boot_timeout = 90
                keep_logs = "always"
                cache_dir = "cache"
                fixture_cache_size = "2G"
                clear_fixture_cache = true

                [profile.full]
                kernel = "kernels/vmlinuz"
                initrd = "testdata/rootfs.cpio.gz"
                init = "/sbin/init"
                append = "loglevel=7"
                """);

        ProviumConfig config = ProviumConfig.load(dir);

        assertThat(config.file()).contains(dir.resolve("provium.toml"));
        assertThat(config.roots()).containsExactly(dir.resolve("lua/a"), dir.resolve("lua/b"));
        assertThat(config.accel()).isEqualTo(AccelMode.TCG);
        assertThat(config.memoryBudget()).contains(MemorySize.parse("4G"));
        assertThat(config.cpusBudget()).isEqualTo(OptionalInt.of(3));
        assertThat(config.bootTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.keepLogs()).isEqualTo(KeepLogs.ALWAYS);
        assertThat(config.cacheDir()).isEqualTo(dir.resolve("cache"));
        assertThat(config.fixtureCacheSize()).isEqualTo(MemorySize.parse("2G"));
        assertThat(config.clearFixtureCache()).isTrue();
        assertThat(config.profileNames()).containsExactly("default", "full");
        assertThat(config.profile("full")).isEqualTo(new Profile("full", Optional.of(kernel), Optional.of(initrd),
                Optional.of("/sbin/init"), "loglevel=7"));
    }

    @Test
    void anEmptyFileMarksTheProjectDirectory() throws IOException {
        configFile("# nothing configured yet\n");
        Path sub = Files.createDirectories(dir.resolve("sub"));

        ProviumConfig config = ProviumConfig.load(sub);

        assertThat(config.projectDir()).isEqualTo(dir);
        assertThat(config.profileNames()).containsExactly("default");
        assertThat(config.accel()).isEqualTo(AccelMode.AUTO);
    }

    @Test
    void anEmptyProfileIsValidAndUsesDefaults() throws IOException {
        configFile("[profile.minimal]\n");

        ProviumConfig config = ProviumConfig.load(dir);

        assertThat(config.profileNames()).containsExactly("default", "minimal");
        assertThat(config.profile("minimal"))
                .isEqualTo(new Profile("minimal", Optional.empty(), Optional.empty(), Optional.empty(), ""));
    }

    @Test
    void aProfileMayTurnTheBootCacheOff() throws IOException {
        configFile("[profile.early]\nboot_cache = false\n[profile.cached]\nboot_cache = true\n");

        ProviumConfig config = ProviumConfig.load(dir);

        assertThat(config.profile("early").bootCache()).isFalse();
        assertThat(config.profile("cached").bootCache()).isTrue();
        assertThat(config.profile("default").bootCache()).isTrue();
    }

    @Test
    void aFileMayRedefineTheDefaultProfile() throws IOException {
        configFile("[profile.default]\nappend = \"quiet loglevel=3\"\n");

        assertThat(ProviumConfig.load(dir).profile("default").append()).isEqualTo("quiet loglevel=3");
    }

    @Test
    void absoluteKernelPathsAreKept() throws IOException {
        Path kernel = write("elsewhere/bzImage", "k");
        configFile("[profile.abs]\nkernel = \"" + kernel + "\"\n");

        assertThat(ProviumConfig.load(dir).profile("abs").kernel()).contains(kernel);
    }

    @Test
    void searchesUpwardAndTheNearestFileWins() throws IOException {
        configFile("[profile.outer]\n");
        write("project/provium.toml", "[profile.inner]\n");
        Path deep = Files.createDirectories(dir.resolve("project/src/test/lua"));

        ProviumConfig config = ProviumConfig.load(deep);

        assertThat(config.file()).contains(dir.resolve("project/provium.toml"));
        assertThat(config.projectDir()).isEqualTo(dir.resolve("project"));
        assertThat(config.roots()).containsExactly(deep);
        assertThat(config.profileNames()).containsExactly("default", "inner");
    }

    @Test
    void parametersWinOverTheFile() throws IOException {
        Files.createDirectories(dir.resolve("other"));
        configFile("[provium]\naccel = \"kvm\"\ncpus = 8\nmemory = \"8G\"\n");
        Map<String, String> parameters = Map.of(
                "provium.accel", "tcg",
                "provium.cpus", "2",
                "provium.memory", "1536M",
                "provium.boot_timeout", "5",
                "provium.keep_logs", "never",
                "provium.roots", "other, src/test/lua",
                "provium.cache_dir", "c",
                "provium.fixture_cache_size", "512M",
                "provium.clear_fixture_cache", "TRUE");
        Files.createDirectories(dir.resolve("src/test/lua"));

        ProviumConfig config = ProviumConfig.load(dir, key -> Optional.ofNullable(parameters.get(key)));

        assertThat(config.accel()).isEqualTo(AccelMode.TCG);
        assertThat(config.cpusBudget()).isEqualTo(OptionalInt.of(2));
        assertThat(config.memoryBudget()).contains(MemorySize.ofMebibytes(1536));
        assertThat(config.bootTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.keepLogs()).isEqualTo(KeepLogs.NEVER);
        assertThat(config.roots()).containsExactly(dir.resolve("other"), dir.resolve("src/test/lua"));
        assertThat(config.cacheDir()).isEqualTo(dir.resolve("c"));
        assertThat(config.fixtureCacheSize()).isEqualTo(MemorySize.ofMebibytes(512));
        assertThat(config.clearFixtureCache()).isTrue();
    }

    @Test
    void fixtureCacheSettingsWithBadValuesAreNamed() throws IOException {
        Path file = configFile("[provium]\nfixture_cache_size = \"big\"\n");
        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessageStartingWith(file + ":2: provium.fixture_cache_size: invalid memory size 'big'");
        Files.delete(file);
        assertThatThrownBy(() -> ProviumConfig.load(dir, key -> key.equals("provium.clear_fixture_cache") ? Optional.of("yes") : Optional.empty()))
                .hasMessage("configuration parameter provium.clear_fixture_cache: expected true or false, got \"yes\"");
    }

    @Test
    void reliabilitySettingsHaveDefaultsFollowingTheHeapAndTheProject() throws IOException {
        ProviumConfig config = ProviumConfig.load(dir);
        assertThat(config.operationTimeout()).isEqualTo(Duration.ofSeconds(300));
        long eighth = Runtime.getRuntime().maxMemory() / 8 >> 20 << 20;
        assertThat(config.replyLimit().bytes()).isEqualTo(Math.max(1L << 20, Math.min(2047L << 20, eighth)));
        assertThat(config.logDir()).as("no target/ next to the project").isEqualTo(config.cacheDir().resolve("logs"));

        Files.createDirectories(dir.resolve("target"));
        assertThat(ProviumConfig.load(dir).logDir()).isEqualTo(dir.toAbsolutePath().normalize().resolve("target/provium-logs"));
    }

    @Test
    void reliabilitySettingsComeFromTheFileAndParameters() throws IOException {
        configFile("""
                [provium]
                operation_timeout = 30
                reply_limit = "64M"
                log_dir = "build/logs"
                """);
        ProviumConfig config = ProviumConfig.load(dir);
        assertThat(config.operationTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.replyLimit()).isEqualTo(MemorySize.parse("64M"));
        assertThat(config.logDir()).isEqualTo(dir.toAbsolutePath().normalize().resolve("build/logs"));

        ProviumConfig overridden = ProviumConfig.load(dir, key -> Optional.ofNullable(Map.of(
                "provium.operation_timeout", "7", "provium.reply_limit", "1G", "provium.log_dir", "/var/tmp/p").get(key)));
        assertThat(overridden.operationTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(overridden.replyLimit()).isEqualTo(MemorySize.parse("1G"));
        assertThat(overridden.logDir()).isEqualTo(Path.of("/var/tmp/p"));
    }

    @Test
    void badReliabilitySettingsAreNamed() throws IOException {
        Path file = configFile("[provium]\noperation_timeout = 0\n");
        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessageStartingWith(file + ":2: provium.operation_timeout: expected a positive integer, got 0");
        Files.delete(file);
        assertThatThrownBy(() -> ProviumConfig.load(dir, key -> key.equals("provium.reply_limit") ? Optional.of("4G") : Optional.empty()))
                .hasMessage("configuration parameter provium.reply_limit: must be below 2G (one reply is one Java array), got \"4G\"");
    }

    @Test
    void aBadParameterIsNamed() {
        assertThatThrownBy(() -> ProviumConfig.load(dir, key -> key.equals("provium.cpus") ? Optional.of("many") : Optional.empty()))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessage("configuration parameter provium.cpus: expected a positive integer, got \"many\"");
    }

    @Test
    void unknownKeyNamesFileKeyAndLine() throws IOException {
        Path file = configFile("""
                [provium]
                roots = ["."]

                [profile.minimal]
                kernal = "/boot/vmlinuz"
                """);

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessage(file + ":5: profile.minimal.kernal: unknown key (known keys here: append, boot_cache, init, initrd, kernel, rootfs)");
    }

    @Test
    void unknownTableIsAnUnknownKeyOnItsHeaderLine() throws IOException {
        Path file = configFile("\n[provim]\nroots = [\".\"]\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessage(file + ":2: provim: unknown key (known keys here: profile, provium)");
    }

    @Test
    void wrongTypeNamesFileKeyLineAndTypes() throws IOException {
        Path file = configFile("[provium]\naccel = \"tcg\"\ncpus = \"4\"\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessage(file + ":3: provium.cpus: wrong type: expected an integer, got the string \"4\"");
    }

    @Test
    void wrongTypeInsideAMultiLineArrayPointsAtTheKey() throws IOException {
        Path file = configFile("[provium]\nroots = [\n  \"a\",\n  5,\n]\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessage(file + ":2: provium.roots: wrong type element 2: expected a string, got the integer 5");
    }

    @Test
    void wrongTypeForATable() throws IOException {
        Path file = configFile("profile = \"minimal\"\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessage(file + ":1: profile: wrong type: expected a table, got the string \"minimal\"");
    }

    @Test
    void invalidSettingValueNamesFileKeyAndLine() throws IOException {
        Path file = configFile("[provium]\n\naccel = \"fast\"\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessage(file + ":3: provium.accel: expected auto, kvm or tcg, got \"fast\"");
    }

    @Test
    void invalidMemoryBudget() throws IOException {
        Path file = configFile("[provium]\nmemory = \"lots\"\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessageStartingWith(file + ":2: provium.memory: invalid memory size 'lots'");
    }

    @Test
    void missingKernelFileNamesFileKeyLineAndPath() throws IOException {
        Path file = configFile("""
                [profile.one]
                append = "x"

                [profile.two]
                # the kernel below does not exist
                kernel = "missing/vmlinuz"
                """);

        ProviumConfig config = ProviumConfig.load(dir);
        assertThat(config.profile("one").append()).isEqualTo("x");
        assertThatThrownBy(() -> config.profile("two"))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessage(file + ":6: profile.two.kernel: file not found: " + dir.resolve("missing/vmlinuz"));
    }

    @Test
    void missingInitrdInADottedKey() throws IOException {
        Path file = configFile("profile.quick.initrd = \"nope.cpio\"\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir).profile("quick"))
                .hasMessage(file + ":1: profile.quick.initrd: file not found: " + dir.resolve("nope.cpio"));
    }

    @Test
    void missingRootDirectory() throws IOException {
        Path file = configFile("[provium]\nroots = [\"tests\"]\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .hasMessage(file + ":2: provium.roots: not a directory: " + dir.resolve("tests"));
    }

    @Test
    void rootfsIsRejectedForNow() throws IOException {
        Path file = configFile("[profile.disk]\nrootfs = \"disk.img\"\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir).profile("disk"))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessageStartingWith(file + ":2: profile.disk.rootfs: rootfs is not supported yet");
    }

    @Test
    void initMustBeAnAbsoluteGuestPath() throws IOException {
        Path file = configFile("[profile.sys]\ninit = \"sbin/init\"\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir).profile("sys"))
                .hasMessageStartingWith(file + ":2: profile.sys.init: must be an absolute path in the guest");
    }

    @Test
    void unknownProfileListsTheKnownOnes() throws IOException {
        Path file = configFile("[profile.minimal]\n[profile.\"with space\"]\n");
        ProviumConfig config = ProviumConfig.load(dir);

        assertThatThrownBy(() -> config.profile("minimall"))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessage("unknown profile 'minimall' in " + file + "; known profiles: default, minimal, with space");
    }

    @Test
    void unknownProfileWithoutFile() {
        assertThatThrownBy(() -> ProviumConfig.load(dir).profile("x"))
                .hasMessageContaining("unknown profile 'x'")
                .hasMessageEndingWith("known profiles: default");
    }

    @Test
    void syntaxErrorsCarryTheLine() throws IOException {
        Path file = configFile("[provium]\nroots = [\"a\"\n\n[profile.x]\n");

        assertThatThrownBy(() -> ProviumConfig.load(dir))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessageStartingWith(file + ":4: invalid TOML: ");
    }

    @Test
    void dottedNamesQuoteNonBareKeys() {
        assertThat(ConfigFile.dotted(List.of("profile", "my.vm", "kernel"))).isEqualTo("profile.\"my.vm\".kernel");
    }
}
