package dev.rendezvous.api;

import dev.rendezvous.support.RedisClusterProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisClusterProfile.class)
class ClusterEventsTest extends EventsTest {}
