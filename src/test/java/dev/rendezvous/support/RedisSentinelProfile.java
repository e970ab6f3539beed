package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Runs Redis-mode API tests through a Sentinel ({@link RedisSentinelResource}), as {@link RedisStoreProfile}
 * does standalone, with {@code replica-acks=1}: every change the suites make waits for the replica.
 */
public class RedisSentinelProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rendezvous.redis.recheck-interval", "0.2S", "rendezvous.redis.replica-acks", "1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisSentinelResource.class));
    }
}
