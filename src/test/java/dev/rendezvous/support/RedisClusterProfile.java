package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Runs Redis-mode API tests on a Redis Cluster ({@link RedisClusterResource}), as {@link RedisStoreProfile} does standalone. */
public class RedisClusterProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rendezvous.redis.recheck-interval", "0.2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisClusterResource.class));
    }
}
