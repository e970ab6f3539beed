package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Runs the HTTP API tests a second time with {@code rendezvous.store=redis}, against a private
 * redis-server started by {@link RedisTestResource}. Every {@code Redis*Test} subclass of an API
 * test shares this one profile, hence one application start and one Redis server.
 *
 * <p>The recheck of local waiters runs every 0.2 s, as the memory profile's prune does, so that
 * expiry shows quickly. {@code LimitsTest} has no Redis twin: {@code max-correlations} and
 * {@code max-stored-bytes} are per-instance memory limits that Redis mode does not enforce, and its
 * counts from {@code usage()} are unknown (-1) there.
 */
public class RedisStoreProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rendezvous.redis.recheck-interval", "0.2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }
}
