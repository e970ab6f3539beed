package dev.rendezvous.api;

import dev.rendezvous.support.RedisApiKeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisApiKeysProfile.class)
class RedisApiKeysTest extends ApiKeysTest {}
