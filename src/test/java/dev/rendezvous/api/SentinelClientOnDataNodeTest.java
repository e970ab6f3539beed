package dev.rendezvous.api;

import dev.rendezvous.support.MisconfiguredRedisProfile;
import dev.rendezvous.support.MisconfiguredRedisResource.Setup;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;

@QuarkusTest
@TestProfile(SentinelClientOnDataNodeTest.Profile.class)
class SentinelClientOnDataNodeTest extends MisconfiguredRedisContract {

    public static class Profile extends MisconfiguredRedisProfile {
        public Profile() {
            super(Setup.SENTINEL_CLIENT_ON_DATA_NODE);
        }
    }

    @Override
    List<String> explanation() {
        return List.of(
                "quarkus.redis.client-type=sentinel",
                "quarkus.redis.master-name=rendezvous",
                "is a Redis data node, not a Sentinel",
                "list the Sentinels in quarkus.redis.hosts");
    }
}
