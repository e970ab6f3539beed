package dev.rendezvous.api.malformed;

import dev.rendezvous.support.RedisStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The barrage against the application in process, in Redis mode with a private redis-server. */
@QuarkusTest
@TestProfile(RedisStoreProfile.class)
class RedisMalformedRequestsTest extends MalformedRequestsTest {}
