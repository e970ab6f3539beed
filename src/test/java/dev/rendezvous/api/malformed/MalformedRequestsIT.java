package dev.rendezvous.api.malformed;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The barrage against the packaged application in its own process, as an attacker meets it. */
@QuarkusIntegrationTest
class MalformedRequestsIT extends MalformedRequests {}
