package dev.rendezvous.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The routes of {@link RoutesProfile} with {@code rendezvous.store=redis} on a private redis-server. */
public class RedisRoutesProfile extends RoutesProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("rendezvous.redis.recheck-interval", "0.2S");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Workers.class), new TestResourceEntry(RedisTestResource.class));
    }
}
