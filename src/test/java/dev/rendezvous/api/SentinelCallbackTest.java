package dev.rendezvous.api;

import dev.rendezvous.support.RedisSentinelProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisSentinelProfile.class)
class SentinelCallbackTest extends CallbackTest {}
