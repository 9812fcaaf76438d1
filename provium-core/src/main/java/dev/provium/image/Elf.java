package dev.provium.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few facts we need from an ELF file's program headers: its notes (PT_NOTE) and its interpreter
 * (PT_INTERP). Little-endian ELF32 and ELF64; only the headers and those small segments are read.
 */
final class Elf {

    static final int PT_INTERP = 3;
    static final int PT_NOTE = 4;

    private static final byte[] MAGIC = {0x7F, 'E', 'L', 'F'};
    private static final int MAX_SEGMENT = 1 << 20;

    record Note(String name, int type, byte[] desc) {
    }

    private final List<Note> notes;
    private final Optional<String> interpreter;

    private Elf(List<Note> notes, Optional<String> interpreter) {
        this.notes = notes;
        this.interpreter = interpreter;
    }

    static boolean hasMagic(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Empty when the file does not start with the ELF magic; IOException when it is a broken ELF. */
    static Optional<Elf> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer ident = readAt(channel, 0, 64);
            byte[] head = new byte[ident.remaining()];
            ident.get(head);
            if (!hasMagic(head)) {
                return Optional.empty();
            }
            if (head.length < 52) {
                throw new IOException(file + ": truncated ELF header");
            }
            if (head[5] != 1) {
                throw new IOException(file + ": big-endian ELF is not supported");
            }
            ByteBuffer header = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            boolean is64 = switch (head[4]) {
                case 1 -> false;
                case 2 -> true;
                default -> throw new IOException(file + ": unknown ELF class " + head[4]);
            };
            if (is64 && head.length < 64) {
                throw new IOException(file + ": truncated ELF64 header");
            }
            long phoff = is64 ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1C));
            int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 0x36 : 0x2A));
            int phnum = Short.toUnsignedInt(header.getShort(is64 ? 0x38 : 0x2C));
            if (phnum > 0 && phentsize < (is64 ? 56 : 32)) {
                throw new IOException(file + ": program header entries too small (" + phentsize + ")");
            }
            List<Note> notes = new ArrayList<>();
            Optional<String> interpreter = Optional.empty();
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = readExactly(channel, phoff + (long) i * phentsize, phentsize, file);
                int type = ph.getInt(0);
                long offset = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
                long size = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
                if (type == PT_NOTE && size <= MAX_SEGMENT) {
                    parseNotes(readExactly(channel, offset, (int) size, file), notes);
                } else if (type == PT_INTERP && size <= MAX_SEGMENT) {
                    interpreter = Optional.of(cString(readExactly(channel, offset, (int) size, file)));
                }
            }
            return Optional.of(new Elf(List.copyOf(notes), interpreter));
        }
    }

    boolean hasNote(String name, int type) {
        return notes.stream().anyMatch(n -> n.type() == type && n.name().equals(name));
    }

    List<Note> notes() {
        return notes;
    }

    Optional<String> interpreter() {
        return interpreter;
    }

    private static void parseNotes(ByteBuffer segment, List<Note> into) {
        while (segment.remaining() >= 12) {
            long namesz = Integer.toUnsignedLong(segment.getInt());
            long descsz = Integer.toUnsignedLong(segment.getInt());
            int type = segment.getInt();
            long nameSpan = align4(namesz);
            long descSpan = align4(descsz);
            if (nameSpan + descSpan > segment.remaining()) {
                return; // truncated note: ignore the rest of this segment
            }
            byte[] name = new byte[(int) namesz];
            segment.get(name);
            segment.position(segment.position() + (int) (nameSpan - namesz));
            byte[] desc = new byte[(int) descsz];
            segment.get(desc);
            segment.position(segment.position() + (int) (descSpan - descsz));
            into.add(new Note(cString(ByteBuffer.wrap(name)), type, desc));
        }
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    private static String cString(ByteBuffer bytes) {
        int start = bytes.position();
        int end = start;
        while (end < bytes.limit() && bytes.get(end) != 0) {
            end++;
        }
        byte[] text = new byte[end - start];
        bytes.get(start, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private static ByteBuffer readExactly(FileChannel channel, long offset, int size, Path file)
            throws IOException {
        if (offset < 0 || size < 0 || offset > channel.size() - size) {
            throw new IOException(file + ": ELF data at offset " + offset + " runs past the end of the file");
        }
        ByteBuffer buffer = readAt(channel, offset, size);
        if (buffer.remaining() != size) {
            throw new IOException(file + ": ELF segment at offset " + offset + " runs past the end of the file");
        }
        return buffer;
    }

    private static ByteBuffer readAt(FileChannel channel, long offset, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        long position = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            position += n;
        }
        return buffer.flip();
    }
}
