package dev.provium.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The shape of provium.toml, bound strictly by Jackson: unknown keys and wrong types fail. */
record ConfigDocument(ProviumTable provium, Map<String, ProfileTable> profile) {

    record ProviumTable(
            List<String> roots,
            String accel,
            String memory,
            Integer cpus,
            @JsonProperty("boot_timeout") Integer bootTimeout,
            @JsonProperty("test_timeout") Integer testTimeout,
            @JsonProperty("operation_timeout") Integer operationTimeout,
            @JsonProperty("reply_limit") String replyLimit,
            @JsonProperty("log_dir") String logDir,
            @JsonProperty("keep_logs") String keepLogs,
            @JsonProperty("cache_dir") String cacheDir,
            @JsonProperty("fixture_cache_size") String fixtureCacheSize,
            @JsonProperty("clear_fixture_cache") Boolean clearFixtureCache,
            List<String> include,
            List<String> exclude,
            Integer parallelism,
            @JsonProperty("class_source") Boolean classSource,
            @JsonProperty("console_progress") Boolean consoleProgress) {
    }

    record ProfileTable(String kernel, String initrd, String init, String append, String rootfs,
                        @JsonProperty("boot_cache") Boolean bootCache) {
    }
}
