package dev.rendezvous.redis;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Heartbeat;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.State;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a correlation's Redis hash (see {@link RedisScripts} for its fields) back into a snapshot. */
final class RedisCodec {

    private static final String ABSENT = "-";
    private static final String PRESENT = "+";
    private static final String CONSUMED = "consumed";

    private RedisCodec() {}

    /** An optional text as the scripts store it, so that "absent" and "empty" stay apart. */
    static String optional(String text) {
        return text == null ? ABSENT : PRESENT + text;
    }

    /** The fields of a hash, whether Redis answered as a RESP3 map or a RESP2 flat list. */
    static Map<String, byte[]> fields(Response hash) {
        Map<String, byte[]> fields = new HashMap<>();
        if (hash == null) {
            return fields;
        }
        if (hash.isMap()) {
            for (String key : hash.getKeys()) {
                fields.put(key, hash.get(key).toBuffer().getBytes());
            }
            return fields;
        }
        for (int i = 0; i + 1 < hash.size(); i += 2) {
            fields.put(hash.get(i).toString(), hash.get(i + 1).toBuffer().getBytes());
        }
        return fields;
    }

    /** The fields of a hash given as the values of {@code names}, in their order; nil values are absent. */
    static Map<String, byte[]> fields(List<String> names, Response values) {
        Map<String, byte[]> fields = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Response value = values.get(i);
            if (value != null) {
                fields.put(names.get(i), value.toBuffer().getBytes());
            }
        }
        return fields;
    }

    /** The snapshot of {@code id}, or null when the hash is gone or its result was consumed. */
    static Correlation decode(String id, Map<String, byte[]> fields) {
        return snapshot(id, fields, null);
    }

    /** As {@link #decode(String, Map)}, but a consumed result reads as completed: as its waiters saw it. */
    static Correlation decodeSettled(String id, Map<String, byte[]> fields) {
        return snapshot(id, fields, State.COMPLETED);
    }

    /** {@code consumedAs}: the state a consumed result reads as; null when it reads as gone. */
    private static Correlation snapshot(String id, Map<String, byte[]> fields, State consumedAs) {
        if (!fields.containsKey("s")) {
            return null;
        }
        String stored = text(fields, "s");
        if (stored.equals(CONSUMED) && consumedAs == null) {
            return null;
        }
        State state = stored.equals(CONSUMED) ? consumedAs : State.valueOf(stored.toUpperCase(Locale.ROOT));
        return new Correlation(
                id,
                state,
                instant(fields, "ca"),
                instant(fields, "ea"),
                Duration.ofMillis(Long.parseLong(text(fields, "ttl"))),
                fields.containsKey("da") ? instant(fields, "da") : null,
                new CallbackToken.Hash(fields.get("th")),
                outcome(state, fields),
                heartbeat(fields),
                optionalText(fields, "ow"),
                fields.get("sk"),
                optionalText(fields, "wid"));
    }

    private static Outcome outcome(State state, Map<String, byte[]> fields) {
        return switch (state) {
            case COMPLETED -> new Outcome.Result(fields.get("b"), optionalText(fields, "ct"));
            case FAILED ->
                new Outcome.Failure(
                        Integer.parseInt(text(fields, "fs")), optionalText(fields, "ft"), optionalText(fields, "fd"));
            default -> null;
        };
    }

    private static Heartbeat heartbeat(Map<String, byte[]> fields) {
        return fields.containsKey("ha") ? new Heartbeat(instant(fields, "ha"), optionalText(fields, "hd")) : null;
    }

    private static Instant instant(Map<String, byte[]> fields, String field) {
        return Instant.ofEpochMilli(Long.parseLong(text(fields, field)));
    }

    static String optionalText(Map<String, byte[]> fields, String field) {
        String stored = fields.containsKey(field) ? text(fields, field) : ABSENT;
        return stored.startsWith(PRESENT) ? stored.substring(1) : null;
    }

    private static String text(Map<String, byte[]> fields, String field) {
        return new String(fields.get(field), StandardCharsets.UTF_8);
    }
}
