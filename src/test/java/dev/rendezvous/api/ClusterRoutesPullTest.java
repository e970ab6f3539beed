package dev.rendezvous.api;

import dev.rendezvous.support.RedisClusterRoutesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisClusterRoutesProfile.class)
class ClusterRoutesPullTest extends RoutesPullTest {}
