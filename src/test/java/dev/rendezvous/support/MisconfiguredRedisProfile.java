package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** A profile per {@link MisconfiguredRedisResource.Setup}: each subclass names its own. */
public abstract class MisconfiguredRedisProfile implements QuarkusTestProfile {

    private final MisconfiguredRedisResource.Setup setup;

    protected MisconfiguredRedisProfile(MisconfiguredRedisResource.Setup setup) {
        this.setup = setup;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(
                MisconfiguredRedisResource.class, Map.of(MisconfiguredRedisResource.SETUP, setup.name())));
    }
}
