package dev.rendezvous.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Replicas of the packaged application in Redis mode against one {@link RedisServer}, started in
 * parallel to keep the integration tests quick. The recheck interval is short so that a lost
 * wake-up costs the tests half a second at most.
 */
public final class RedisReplicas {

    private RedisReplicas() {}

    /** The configuration of a replica that shares its state in {@code redis}. */
    public static Map<String, String> config(RedisServer redis) {
        return Map.of(
                "rendezvous.store", "redis",
                "quarkus.redis.hosts", redis.url(),
                "rendezvous.redis.recheck-interval", "0.5S");
    }

    /** Starts {@code count} replicas at once; if one fails, the others are stopped again. */
    public static List<Replica> start(RedisServer redis, int count) {
        return start(config(redis), count);
    }

    /** Starts {@code count} replicas with {@code config} at once; if one fails, the others are stopped again. */
    public static List<Replica> start(Map<String, String> config, int count) {
        List<CompletableFuture<Replica>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            starting.add(CompletableFuture.supplyAsync(() -> Replica.start(config)));
        }
        List<Replica> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Replica> replica : starting) {
            try {
                started.add(replica.join());
            } catch (CompletionException e) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failure != null) {
            started.forEach(Replica::stop);
            throw failure;
        }
        return started;
    }
}
