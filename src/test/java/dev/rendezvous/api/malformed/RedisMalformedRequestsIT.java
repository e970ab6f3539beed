package dev.rendezvous.api.malformed;

import dev.rendezvous.support.RedisStoreProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The barrage against the packaged application in Redis mode, with a private redis-server. */
@QuarkusIntegrationTest
@TestProfile(RedisStoreProfile.class)
class RedisMalformedRequestsIT extends MalformedRequests {}
