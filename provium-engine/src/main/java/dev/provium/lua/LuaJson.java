package dev.provium.lua;

import dev.provium.guest.ExecResult;
import dev.provium.vm.GuestChannel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** {@code vm:json(cmd)}: a command's stdout parsed as JSON into Lua tables (arrays 1-based, null as nil). */
final class LuaJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int STDOUT_SHOWN = 200;

    private LuaJson() {
    }

    static LuaValue commandOutput(GuestChannel vm, String command) {
        ExecResult result = vm.exec(command);
        String stdout = result.stdoutText();
        if (result.exitCode() != 0) {
            throw new LuaError("json: `" + command + "` exited with " + result.exitCode()
                    + "; stderr: " + result.stderrText().strip() + "; stdout starts: " + start(stdout));
        }
        try {
            return toLua(MAPPER.readTree(stdout));
        } catch (JsonProcessingException e) {
            throw new LuaError("json: output of `" + command + "` is not valid JSON (" + e.getOriginalMessage()
                    + "); stdout starts: " + start(stdout));
        }
    }

    static LuaValue toLua(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                table.set(field.getKey(), toLua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return LuaValue.valueOf(node.intValue());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.doubleValue());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.booleanValue());
        }
        return LuaValue.valueOf(node.asText());
    }

    private static String start(String stdout) {
        String trimmed = stdout.strip();
        return trimmed.isEmpty() ? "(empty)"
                : trimmed.length() <= STDOUT_SHOWN ? trimmed : trimmed.substring(0, STDOUT_SHOWN) + "…";
    }
}
