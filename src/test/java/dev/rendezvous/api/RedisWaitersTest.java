package dev.rendezvous.api;

import dev.rendezvous.support.RedisStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisStoreProfile.class)
class RedisWaitersTest extends WaitersTest {}
