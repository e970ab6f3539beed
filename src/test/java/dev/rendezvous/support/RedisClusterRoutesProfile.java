package dev.rendezvous.support;

import java.util.List;

/** {@link RedisRoutesProfile}'s routes and workers on a Redis Cluster ({@link RedisClusterResource}). */
public class RedisClusterRoutesProfile extends RedisRoutesProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Workers.class), new TestResourceEntry(RedisClusterResource.class));
    }
}
