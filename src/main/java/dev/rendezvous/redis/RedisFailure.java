package dev.rendezvous.redis;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed Redis command means for the replica. The client fails a command with Redis's error
 * reply itself, and a batch with one line per failed command, each as {@code ERR [index] } and the
 * reply; anything else failed before Redis answered.
 */
enum RedisFailure {

    /** No answer, or a reply saying Redis cannot serve anyone now: readiness goes DOWN. */
    UNAVAILABLE,

    /** Redis is out of memory ({@code OOM}): this write is refused. */
    OUT_OF_MEMORY,

    /** An {@code EVALSHA} of a script that Redis does not know ({@code NOSCRIPT}): send its text. */
    MISSING_SCRIPT,

    /** Any other error reply: this command's alone. */
    REFUSED;

    /**
     * Replies of a Redis that is starting, failing over, reshaping its cluster, busy with a script, or
     * lacking the replicas it must write to; the cluster client retries redirections and
     * {@code TRYAGAIN} itself, so those reach us only when its retries ran out.
     */
    private static final Set<String> NOT_READY = Set.of(
            "MOVED", "ASK", "CLUSTERDOWN", "TRYAGAIN", "LOADING", "READONLY", "MASTERDOWN", "BUSY", "NOREPLICAS");

    private static final Pattern BATCH_PREFIX = Pattern.compile("^ERR \\[\\d+] ");

    static RedisFailure of(Throwable failure) {
        if (!(failure instanceof Response reply) || reply.type() != ResponseType.ERROR) {
            return UNAVAILABLE;
        }
        String kind = kind(failure.getMessage());
        if (NOT_READY.contains(kind)) {
            return UNAVAILABLE;
        }
        return switch (kind) {
            case "OOM" -> OUT_OF_MEMORY;
            case "NOSCRIPT" -> MISSING_SCRIPT;
            default -> REFUSED;
        };
    }

    /** The error's code: the first word of its (first) reply, after the prefix a batch puts before it. */
    static String kind(String message) {
        if (message == null) {
            return "";
        }
        Matcher batch = BATCH_PREFIX.matcher(message);
        String reply = batch.find() ? message.substring(batch.end()) : message;
        int end = 0;
        while (end < reply.length() && !Character.isWhitespace(reply.charAt(end))) {
            end++;
        }
        return reply.substring(0, end);
    }
}
