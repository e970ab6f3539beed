package dev.rendezvous.exchange;

import dev.rendezvous.support.RedisStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same behaviour with the state of record in a private Redis. */
@QuarkusTest
@TestProfile(RedisStoreProfile.class)
class RedisDisconnectTest extends DisconnectTest {}
