package dev.provium.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The host's memory as the kernel reports it; a seam so the resource pool can be tested. */
interface HostMemory {
    long availableBytes();

    long totalBytes();

    /** Reads MemAvailable and MemTotal from a meminfo file (normally /proc/meminfo) on every call. */
    static HostMemory procMeminfo(Path meminfo) {
        return new HostMemory() {
            @Override
            public long availableBytes() {
                return field("MemAvailable");
            }

            @Override
            public long totalBytes() {
                return field("MemTotal");
            }

            private long field(String name) {
                try {
                    Matcher matcher = Pattern.compile("^" + name + ":\\s+(\\d+) kB$", Pattern.MULTILINE).matcher(Files.readString(meminfo));
                    if (!matcher.find()) {
                        throw new IllegalStateException(meminfo + " has no " + name + " line");
                    }
                    return Long.parseLong(matcher.group(1)) * 1024;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + meminfo, e);
                }
            }
        };
    }
}
