package dev.rendezvous.api;

import dev.rendezvous.support.RedisRoutesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisRoutesProfile.class)
class RedisRoutesPushTest extends RoutesPushTest {}
