package dev.rendezvous.api.malformed;

import io.quarkus.test.junit.QuarkusTest;

/** The barrage against the application in process, with the in-memory store. */
@QuarkusTest
class MalformedRequestsTest extends MalformedRequests {}
