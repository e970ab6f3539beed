package dev.rendezvous.support;

import java.util.List;

/** {@link RedisRoutesProfile}'s routes and workers on a Sentinel-managed Redis ({@link RedisSentinelResource}). */
public class RedisSentinelRoutesProfile extends RedisRoutesProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Workers.class), new TestResourceEntry(RedisSentinelResource.class));
    }
}
