package dev.rendezvous.support;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private Redis and two replicas of the packaged application sharing it, for one test class:
 * registered as a static {@code @RegisterExtension} field, started before the class and stopped after.
 */
public final class ReplicaPair implements BeforeAllCallback, AfterAllCallback {

    private final boolean appendOnly;
    private RedisServer redis;
    private List<Replica> replicas = List.of();
    private ReplicaClient a;
    private ReplicaClient b;

    private ReplicaPair(boolean appendOnly) {
        this.appendOnly = appendOnly;
    }

    /** Redis without persistence. */
    public static ReplicaPair withRedis() {
        return new ReplicaPair(false);
    }

    /** Redis with an append-only file, for tests that restart it. */
    public static ReplicaPair withPersistentRedis() {
        return new ReplicaPair(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = appendOnly ? RedisServer.startWithAof() : RedisServer.start();
        replicas = RedisReplicas.start(redis, 2);
        a = ReplicaClient.of("A", replicas.get(0));
        b = ReplicaClient.of("B", replicas.get(1));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        replicas.forEach(Replica::stop);
        if (redis != null) {
            redis.stop();
        }
    }

    public RedisServer redis() {
        return redis;
    }

    public List<Replica> replicas() {
        return replicas;
    }

    public ReplicaClient a() {
        return a;
    }

    public ReplicaClient b() {
        return b;
    }
}
