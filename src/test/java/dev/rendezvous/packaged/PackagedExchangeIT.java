package dev.rendezvous.packaged;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The README's walk-through against the packaged application in its own process: the waiting client,
 * the worker and the service are three parties, as in production.
 */
@QuarkusIntegrationTest
class PackagedExchangeIT {

    @Test
    void handsAWorkersResultToAClientWaitingInAnotherRequest() {
        String id = "it-" + UUID.randomUUID();
        Response created = given().contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"ttl\":60}")
                .post("/v1/correlations");
        created.then().statusCode(201).header("Cache-Control", "no-store");
        String callbackUrl = created.path("callbackUrl");

        CompletableFuture<Response> waiter =
                CompletableFuture.supplyAsync(() -> given().get("/v1/correlations/{id}/result?wait=30", id));
        // Readiness reports the waiters the service holds, so the delivery below really wakes one.
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> given().get("/q/health/ready")
                                .path("checks.find { it.name == 'correlation-store' }.data.waiters"),
                        equalTo(1));
        given().contentType("application/json")
                .body("{\"pages\": 3}")
                .post(callbackUrl)
                .then()
                .statusCode(204);

        waiter.join()
                .then()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .header("X-Content-Type-Options", "nosniff")
                .body(equalTo("{\"pages\": 3}"));
        given().get("/v1/correlations/{id}", id).then().statusCode(200).body("state", equalTo("completed"));
    }

    @Test
    void answersHealthProbesWithStoreUsage() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'correlation-store' }.data.store", equalTo("memory"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }
}
