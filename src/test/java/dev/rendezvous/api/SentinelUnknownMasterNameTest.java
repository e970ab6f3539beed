package dev.rendezvous.api;

import dev.rendezvous.support.MisconfiguredRedisProfile;
import dev.rendezvous.support.MisconfiguredRedisResource.Setup;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;

@QuarkusTest
@TestProfile(SentinelUnknownMasterNameTest.Profile.class)
class SentinelUnknownMasterNameTest extends MisconfiguredRedisContract {

    public static class Profile extends MisconfiguredRedisProfile {
        public Profile() {
            super(Setup.UNKNOWN_MASTER_NAME);
        }
    }

    @Override
    List<String> explanation() {
        return List.of(
                "quarkus.redis.client-type=sentinel",
                "quarkus.redis.master-name=no-such-primary",
                "monitors no primary named 'no-such-primary'",
                "set quarkus.redis.master-name");
    }
}
