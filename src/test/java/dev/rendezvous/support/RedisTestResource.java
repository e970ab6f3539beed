package dev.rendezvous.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs the application under test in Redis mode against a {@link RedisServer} of its own. Use it
 * with {@code @WithTestResource(RedisTestResource.class)} (or a test profile's
 * {@code testResources()}); pass {@code initArgs} {@code aof=true} for a server with an append-only
 * file, so that tests can {@code kill()} and {@code restart()} Redis without losing state.
 *
 * <p>Quarkus starts one instance per application start, that is per test profile (and per
 * restricted resource set): the server lives as long as the application of that profile and is
 * stopped, its directory deleted, when Quarkus moves on. Tests reach the running server through
 * {@link #server()}, which only works in the JVM that runs the tests, and only for one
 * application at a time, which is how {@code @QuarkusTest} runs them.
 */
public final class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    /** The init argument that asks for {@link RedisServer#startWithAof()}. */
    public static final String AOF = "aof";

    private static volatile RedisServer current;

    private boolean aof;
    private RedisServer server;

    /** The server of the application currently under test. */
    public static RedisServer server() {
        RedisServer running = current;
        if (running == null) {
            throw new IllegalStateException(
                    "no Redis is running: annotate the test with @WithTestResource(RedisTestResource.class)");
        }
        return running;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        aof = Boolean.parseBoolean(initArgs.getOrDefault(AOF, "false"));
    }

    @Override
    public Map<String, String> start() {
        server = aof ? RedisServer.startWithAof() : RedisServer.start();
        current = server;
        return Map.of("rendezvous.store", "redis", "quarkus.redis.hosts", server.url());
    }

    @Override
    public void stop() {
        if (server != null) {
            if (current == server) {
                current = null;
            }
            server.stop();
            server = null;
        }
    }
}
