package dev.rendezvous.api;

import dev.rendezvous.support.RedisClusterApiKeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisClusterApiKeysProfile.class)
class ClusterApiKeysTest extends ApiKeysTest {}
