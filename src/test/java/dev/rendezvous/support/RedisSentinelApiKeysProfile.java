package dev.rendezvous.support;

import java.util.List;

/** {@link ApiKeysProfile} with the state of record in a Sentinel-managed Redis ({@link RedisSentinelResource}). */
public class RedisSentinelApiKeysProfile extends ApiKeysProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisSentinelResource.class));
    }
}
