package dev.rendezvous.api;

import dev.rendezvous.support.MisconfiguredRedisProfile;
import dev.rendezvous.support.MisconfiguredRedisResource.Setup;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;

@QuarkusTest
@TestProfile(RedisClusterClientOnStandaloneTest.Profile.class)
class RedisClusterClientOnStandaloneTest extends MisconfiguredRedisContract {

    public static class Profile extends MisconfiguredRedisProfile {
        public Profile() {
            super(Setup.CLUSTER_CLIENT_ON_STANDALONE);
        }
    }

    @Override
    List<String> explanation() {
        return List.of(
                "quarkus.redis.client-type=cluster",
                "cluster support disabled",
                "set quarkus.redis.client-type=standalone");
    }
}
