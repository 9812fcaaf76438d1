package dev.provium.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

/**
 * Finds the line where a key is defined in a TOML text.
 *
 * <p>jackson-dataformat-toml builds the whole document as a tree before handing out a parser, so
 * neither its parser nor databind's exceptions carry locations (they report "UNKNOWN"); only syntax
 * errors do. Instead of scanning the text ourselves, we let the same TOML parser read growing
 * prefixes of the file, cut at line ends: the first prefix whose tree contains the key ends on the
 * line where the key's value ends. The key itself is on the line after the last shorter prefix that
 * still parses, because a prefix cut inside a multi-line value (array, string) is not valid TOML.
 * Only used on the error path, on small files.
 */
final class KeyLines {
    private final TomlMapper toml;
    private final String[] lines;

    KeyLines(TomlMapper toml, String text) {
        this.toml = toml;
        this.lines = text.split("\n", -1);
    }

    /** The 1-based line where the key path (table names, then the key) is defined. */
    OptionalInt lineOf(List<String> keyPath) {
        for (int end = 1; end <= lines.length; end++) {
            JsonNode prefix = parsePrefix(end);
            if (prefix != null && contains(prefix, keyPath)) {
                return OptionalInt.of(lineAfterLastValidPrefixBefore(end));
            }
        }
        return OptionalInt.empty();
    }

    private int lineAfterLastValidPrefixBefore(int end) {
        for (int shorter = end - 1; shorter > 0; shorter--) {
            if (parsePrefix(shorter) != null) {
                return shorter + 1;
            }
        }
        return 1;
    }

    private JsonNode parsePrefix(int lineCount) {
        String prefix = String.join("\n", List.of(lines).subList(0, lineCount));
        try {
            return toml.readTree(prefix);
        } catch (IOException invalidPrefix) {
            return null;
        }
    }

    private static boolean contains(JsonNode root, List<String> keyPath) {
        JsonNode node = root;
        for (String key : keyPath) {
            node = node.get(key);
            if (node == null) {
                return false;
            }
        }
        return true;
    }
}
