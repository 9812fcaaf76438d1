package dev.provium.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class BusyboxTest {

    @Test
    void listsTheAppletsOnceAsAbsoluteGuestPaths() {
        Path busybox = GuestImageSpec.DEFAULT_BUSYBOX;
        Busybox.requireStatic(busybox);

        List<String> applets = Busybox.applets(busybox);

        assertThat(applets).contains("/bin/sh", "/sbin/insmod", "/usr/bin/awk").doesNotContain("/bin/busybox");
        assertThat(applets).allSatisfy(path -> assertThat(path).startsWith("/").doesNotContain("//"));
        assertThat(Busybox.applets(busybox)).isSameAs(applets);
    }
}
