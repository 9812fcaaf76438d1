package dev.provium.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One provium.toml: where it is, its text, and its strictly bound content. Errors name file, key and line. */
final class ConfigFile {
    private static final TomlMapper TOML = new TomlMapper();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfigDefaults(coercion -> coercion
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final Path path;
    private final String text;
    private final ConfigDocument document;

    private ConfigFile(Path path, String text, ConfigDocument document) {
        this.path = path;
        this.text = text;
        this.document = document;
    }

    /** The first provium.toml in startDir or one of its parents. */
    static Optional<Path> find(Path startDir) {
        for (Path dir = startDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(Constants.CONFIG_FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static ConfigFile read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProviumConfigException(path + ": cannot read: " + e, e, path, 0);
        }
        JsonNode tree;
        try {
            tree = TOML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProviumConfigException(path + lineSuffix(e.getLocation()) + ": invalid TOML: " + e.getOriginalMessage(), e,
                    path, e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr()));
        }
        ConfigFile unbound = new ConfigFile(path, text, null);
        try {
            return new ConfigFile(path, text, STRICT.treeToValue(tree, ConfigDocument.class));
        } catch (UnrecognizedPropertyException e) {
            throw unbound.error(keyPath(e), "unknown key (known keys here: " + knownKeys(e.getKnownPropertyIds()) + ")", e);
        } catch (JsonMappingException e) {
            throw unbound.error(keyPath(e), wrongType(e, tree), e);
        } catch (JsonProcessingException e) {
            throw new ProviumConfigException(path + ": " + e.getOriginalMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    ConfigDocument document() {
        return document;
    }

    /** An error about the key at keyPath: "FILE:LINE: dotted.key: problem". */
    ProviumConfigException error(List<String> keyPath, String problem) {
        return error(keyPath, problem, null);
    }

    private ProviumConfigException error(List<String> keyPath, String problem, Throwable cause) {
        OptionalInt line = new KeyLines(TOML, text).lineOf(keyPath);
        String where = path + (line.isPresent() ? ":" + line.getAsInt() : "");
        return new ProviumConfigException(where + ": " + dotted(keyPath) + ": " + problem, cause, path, line.orElse(0));
    }

    private static String lineSuffix(JsonLocation location) {
        return location != null && location.getLineNr() > 0 ? ":" + location.getLineNr() : "";
    }

    /** The table names and key of the failing field; array indices are dropped (the line of the key is reported). */
    private static List<String> keyPath(JsonMappingException e) {
        List<String> keys = new ArrayList<>();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                keys.add(reference.getFieldName());
            }
        }
        return keys;
    }

    private static String wrongType(JsonMappingException e, JsonNode tree) {
        JsonNode actual = tree;
        for (JsonMappingException.Reference reference : e.getPath()) {
            actual = actual == null ? null
                    : reference.getFieldName() != null ? actual.get(reference.getFieldName()) : actual.get(reference.getIndex());
        }
        String element = e.getPath().isEmpty() || e.getPath().get(e.getPath().size() - 1).getFieldName() != null
                ? "" : " element " + (e.getPath().get(e.getPath().size() - 1).getIndex() + 1);
        if (!(e instanceof MismatchedInputException mismatch) || mismatch.getTargetType() == null || actual == null) {
            return "wrong value" + element + ": " + e.getOriginalMessage();
        }
        return "wrong type" + element + ": expected " + describe(mismatch.getTargetType()) + ", got " + describe(actual);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "an integer";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array of strings";
        }
        return "a table";
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "the string \"" + node.asText() + "\"";
        }
        if (node.isIntegralNumber()) {
            return "the integer " + node.asText();
        }
        if (node.isNumber()) {
            return "the float " + node.asText();
        }
        if (node.isBoolean()) {
            return "the boolean " + node.asText();
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isObject() ? "a table" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String knownKeys(Collection<Object> known) {
        return known == null ? "none" : String.join(", ", known.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)));
    }

    static String dotted(List<String> keyPath) {
        return keyPath.stream()
                .map(key -> BARE_KEY.matcher(key).matches() ? key : "\"" + key.replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining("."));
    }
}
