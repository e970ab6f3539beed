package dev.rendezvous.api;

import dev.rendezvous.support.RedisSentinelRoutesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisSentinelRoutesProfile.class)
class SentinelRoutesPushTest extends RoutesPushTest {}
