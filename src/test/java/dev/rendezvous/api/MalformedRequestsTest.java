package dev.rendezvous.api;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MalformedRequestsTest extends MalformedRequests {}
