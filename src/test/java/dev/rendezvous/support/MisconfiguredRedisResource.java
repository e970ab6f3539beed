package dev.rendezvous.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the application under test with Redis connection settings that cannot work, against real
 * redis-server processes: the init argument {@link #SETUP} names a {@link Setup}. The application
 * logs INFO and up, as plain text, to a file of its own too ({@code quarkus.log.file.path}), so that
 * a test can read what it logged while starting, before any test method ran.
 */
public final class MisconfiguredRedisResource implements QuarkusTestResourceLifecycleManager {

    public static final String SETUP = "setup";

    /** The misconfigurations, each named after what the settings get wrong. */
    public enum Setup {
        /** {@code client-type=cluster} against a standalone Redis. */
        CLUSTER_CLIENT_ON_STANDALONE,
        /** {@code client-type=sentinel} with a master name no Sentinel monitors. */
        UNKNOWN_MASTER_NAME,
        /** {@code client-type=sentinel} with {@code hosts} naming a data node, not a Sentinel. */
        SENTINEL_CLIENT_ON_DATA_NODE
    }

    private final List<RedisServer> servers = new ArrayList<>();
    private Setup setup;
    private Path logDir;

    @Override
    public void init(Map<String, String> initArgs) {
        setup = Setup.valueOf(initArgs.get(SETUP));
    }

    @Override
    public Map<String, String> start() {
        RedisServer node = started(RedisServer.start());
        Map<String, String> config = new HashMap<>(Map.of("rendezvous.store", "redis"));
        switch (setup) {
            case CLUSTER_CLIENT_ON_STANDALONE ->
                config.putAll(Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", node.url()));
            case UNKNOWN_MASTER_NAME ->
                config.putAll(Map.of(
                        "quarkus.redis.client-type", "sentinel",
                        "quarkus.redis.hosts",
                                started(RedisServer.startSentinel("rendezvous", node, Duration.ofSeconds(1)))
                                        .url(),
                        "quarkus.redis.master-name", "no-such-primary"));
            case SENTINEL_CLIENT_ON_DATA_NODE ->
                config.putAll(Map.of(
                        "quarkus.redis.client-type", "sentinel",
                        "quarkus.redis.hosts", node.url(),
                        "quarkus.redis.master-name", "rendezvous"));
        }
        try {
            logDir = Files.createTempDirectory("rendezvous-log-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.level", "INFO");
        config.put("quarkus.log.file.json.enabled", "false");
        config.put("quarkus.log.file.path", logDir.resolve("application.log").toString());
        return config;
    }

    @Override
    public void stop() {
        servers.forEach(RedisServer::stop);
        try (var files = Files.list(logDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RedisServer started(RedisServer server) {
        servers.add(server);
        return server;
    }
}
