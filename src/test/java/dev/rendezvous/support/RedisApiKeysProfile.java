package dev.rendezvous.support;

import java.util.List;

/** API keys with the state of record in a private Redis: the owner travels with the correlation. */
public class RedisApiKeysProfile extends ApiKeysProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }
}
