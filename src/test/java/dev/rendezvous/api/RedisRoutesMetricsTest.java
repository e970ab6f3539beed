package dev.rendezvous.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisRoutesProfile.class)
class RedisRoutesMetricsTest extends RoutesMetricsTest {}
