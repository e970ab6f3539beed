package dev.rendezvous.api;

import dev.rendezvous.support.RedisSentinelApiKeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisSentinelApiKeysProfile.class)
class SentinelApiKeysTest extends ApiKeysTest {}
