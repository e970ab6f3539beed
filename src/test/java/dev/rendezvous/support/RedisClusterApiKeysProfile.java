package dev.rendezvous.support;

import java.util.List;

/** {@link ApiKeysProfile} with the state of record in a Redis Cluster ({@link RedisClusterResource}). */
public class RedisClusterApiKeysProfile extends ApiKeysProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisClusterResource.class));
    }
}
