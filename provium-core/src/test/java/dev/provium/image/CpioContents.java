package dev.provium.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;

/** Reads back what we wrote, with commons-compress's own reader. */
final class CpioContents {

    record Entry(String name, long mode, byte[] data, long rdevMajor, long rdevMinor, long links) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One archive: entries by name, in archive order; {@code end} is the offset just past its trailer. */
    record Archive(long start, long end, Map<String, Entry> entries) {
    }

    private CpioContents() {
    }

    /**
     * Every archive in a concatenation, as the kernel finds them: after a trailer, zero bytes are skipped and
     * the next archive must start at a 4-byte boundary.
     */
    static List<Archive> archives(byte[] data) throws IOException {
        List<Archive> archives = new ArrayList<>();
        int position = 0;
        while (true) {
            while (position < data.length && data[position] == 0) {
                position++;
            }
            if (position >= data.length) {
                return archives;
            }
            if (position % 4 != 0) {
                throw new IOException("archive at offset " + position + " is not 4-byte aligned");
            }
            Archive archive = archive(data, position);
            archives.add(archive);
            position = (int) archive.end();
        }
    }

    private static Archive archive(byte[] data, int start) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        ByteArrayInputStream bytes = new ByteArrayInputStream(data, start, data.length - start);
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(bytes, "UTF-8")) {
            CpioArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entries.containsKey(entry.getName())) {
                    throw new IOException("duplicate entry " + entry.getName());
                }
                entries.put(entry.getName(), new Entry(entry.getName(), entry.getMode(), in.readAllBytes(),
                        entry.getRemoteDeviceMaj(), entry.getRemoteDeviceMin(), entry.getNumberOfLinks()));
            }
        }
        int consumed = data.length - start - bytes.available();
        return new Archive(start, start + consumed, entries);
    }
}
