package dev.provium.image;

import dev.provium.Notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BootKernelTest {

    @TempDir
    Path dir;

    @Test
    void extractsThePvhVmlinuxOfTheInstalledKernelOnceAndReusesIt() throws IOException {
        Kernel kernel = new KernelLocator(Path.of("/boot"), Path.of("/lib/modules"), name -> null)
                .locate(Optional.empty());
        Path cache = dir.resolve("kernels");

        Path vmlinux = BootKernel.prepare(kernel, cache, Notices.none());

        assertThat(vmlinux.getParent()).isEqualTo(cache);
        assertThat(vmlinux.getFileName().toString()).startsWith("vmlinux-" + kernel.version() + "-");
        assertThat(VmlinuxExtractor.hasPvhNote(vmlinux)).isTrue();
        assertThat(KernelVersions.read(vmlinux)).contains(kernel.version());
        BasicFileAttributes first = Files.readAttributes(vmlinux, BasicFileAttributes.class);

        Path again = BootKernel.prepare(kernel, cache, Notices.none());

        BasicFileAttributes second = Files.readAttributes(again, BasicFileAttributes.class);
        assertThat(again).isEqualTo(vmlinux);
        assertThat(second.fileKey()).isEqualTo(first.fileKey());
        assertThat(second.lastModifiedTime()).isEqualTo(first.lastModifiedTime());
        try (var entries = Files.list(cache)) {
            assertThat(entries).containsExactly(vmlinux); // no temporary files left behind
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "LZO", mode = EnumSource.Mode.EXCLUDE)
    void extractsEverySupportedPayloadCompression(Compression compression) throws IOException {
        byte[] elf = SyntheticKernels.vmlinux(true);
        Kernel kernel = kernel(SyntheticKernels.kernelPayload(compression, elf));

        Path vmlinux = BootKernel.prepare(kernel, dir.resolve("cache"), Notices.none());

        assertThat(vmlinux).isNotEqualTo(kernel.image());
        assertThat(Files.readAllBytes(vmlinux)).isEqualTo(elf);
    }

    @Test
    void toleratesPaddingAfterTheXzStream() throws IOException {
        byte[] elf = SyntheticKernels.vmlinux(true);
        byte[] payload = SyntheticKernels.concat(SyntheticKernels.compress(Compression.XZ, elf), new byte[12],
                SyntheticKernels.littleEndian(elf.length));

        Path vmlinux = BootKernel.prepare(kernel(payload), dir.resolve("cache"), Notices.none());

        assertThat(Files.readAllBytes(vmlinux)).isEqualTo(elf);
    }

    @Test
    void bootsTheBzImageWhenTheKernelHasNoPvhNoteAndRemembersWhy() throws IOException {
        Kernel kernel = kernel(SyntheticKernels.kernelPayload(Compression.GZIP, SyntheticKernels.vmlinux(false)));
        Path cache = dir.resolve("cache");

        assertThat(BootKernel.prepare(kernel, cache, Notices.none())).isEqualTo(kernel.image());

        assertThat(reasonIn(cache)).contains("no PVH entry note (built without CONFIG_PVH)");
        assertThat(BootKernel.prepare(kernel, cache, Notices.none())).isEqualTo(kernel.image());
        try (var entries = Files.list(cache)) {
            assertThat(entries).hasSize(1);
        }
    }

    @Test
    void bootsTheBzImageWhenTheCompressionIsUnknown() throws IOException {
        Kernel kernel = kernel(new byte[] {0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0, 0});

        assertThat(BootKernel.prepare(kernel, dir, Notices.none())).isEqualTo(kernel.image());

        assertThat(reasonIn(dir)).contains("compression is not recognised (first bytes 424242424242)");
    }

    @Test
    void bootsTheBzImageWhenThePayloadIsLzo() throws IOException {
        Kernel kernel = kernel(new byte[] {(byte) 0x89, 'L', 'Z', 'O', 0, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0});

        assertThat(BootKernel.prepare(kernel, dir, Notices.none())).isEqualTo(kernel.image());

        assertThat(reasonIn(dir)).contains("lzo-compressed, which no Java library here decodes");
    }

    @Test
    void bootsTheBzImageWhenThePayloadIsCorrupt() throws IOException {
        byte[] payload = SyntheticKernels.kernelPayload(Compression.XZ, SyntheticKernels.vmlinux(true));
        Arrays.fill(payload, 40, 80, (byte) 0x55);
        Kernel kernel = kernel(payload);

        assertThat(BootKernel.prepare(kernel, dir, Notices.none())).isEqualTo(kernel.image());

        assertThat(reasonIn(dir)).contains("decompressing the xz payload failed");
    }

    @Test
    void bootsTheBzImageWhenTheRecordedSizeDisagrees() throws IOException {
        byte[] elf = SyntheticKernels.vmlinux(true);
        byte[] payload = SyntheticKernels.concat(SyntheticKernels.compress(Compression.ZSTD, elf),
                SyntheticKernels.littleEndian(elf.length + 1));

        Kernel kernel = kernel(payload);

        assertThat(BootKernel.prepare(kernel, dir, Notices.none())).isEqualTo(kernel.image());
        assertThat(reasonIn(dir)).contains("decompressed to " + elf.length + " bytes, but the kernel records "
                + (elf.length + 1));
    }

    @Test
    void bootsTheBzImageWhenThePayloadIsNoElf() throws IOException {
        Kernel kernel = kernel(SyntheticKernels.kernelPayload(Compression.GZIP, new byte[1000]));

        assertThat(BootKernel.prepare(kernel, dir, Notices.none())).isEqualTo(kernel.image());

        assertThat(reasonIn(dir)).contains("the decompressed payload is not an ELF file");
    }

    @Test
    void passesAFileThatIsNeitherBzImageNorElfThrough() throws IOException {
        Path image = Files.writeString(dir.resolve("Image"), "some other boot format");
        Kernel kernel = new Kernel(image, "1.0", Optional.empty());

        assertThat(BootKernel.prepare(kernel, dir.resolve("cache"), Notices.none())).isEqualTo(image);
    }

    @Test
    void bootsAnElfVmlinuxWithThePvhNoteAsItIs() throws IOException {
        Path vmlinux = Files.write(dir.resolve("vmlinux"), SyntheticKernels.vmlinux(true));

        Path boot = BootKernel.prepare(new Kernel(vmlinux, "6.6.6", Optional.empty()), dir.resolve("cache"), Notices.none());

        assertThat(boot).isEqualTo(vmlinux);
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void rejectsAnElfVmlinuxWithoutThePvhNote() throws IOException {
        Path vmlinux = Files.write(dir.resolve("vmlinux"), SyntheticKernels.vmlinux(false));
        Kernel kernel = new Kernel(vmlinux, "6.6.6", Optional.empty());

        assertThatThrownBy(() -> BootKernel.prepare(kernel, dir, Notices.none()))
                .isInstanceOf(GuestImageException.class)
                .hasMessageContaining(vmlinux + " is an ELF vmlinux without a PVH entry note")
                .hasMessageContaining("use the bzImage");
    }

    @Test
    void unwritableCacheIsAClearError() throws IOException {
        Kernel kernel = kernel(SyntheticKernels.kernelPayload(Compression.GZIP, SyntheticKernels.vmlinux(true)));
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> BootKernel.prepare(kernel, notADirectory.resolve("cache"), Notices.none()))
                .isInstanceOf(GuestImageException.class)
                .hasMessageContaining("Cannot prepare kernel " + kernel.image() + " for boot (cache "
                        + notADirectory.resolve("cache") + ")");
    }

    private Kernel kernel(byte[] payload) throws IOException {
        Path image = Files.write(dir.resolve("vmlinuz-synthetic"), SyntheticKernels.bzImage(payload, "6.6.6"));
        return new Kernel(image, "6.6.6", Optional.empty());
    }

    private static String reasonIn(Path cache) throws IOException {
        try (var entries = Files.list(cache)) {
            Path marker = entries.filter(p -> p.toString().endsWith(".not-extractable")).findFirst().orElseThrow();
            return Files.readString(marker);
        }
    }
}
