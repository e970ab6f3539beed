package dev.rendezvous.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Prometheus metrics count what happened, under small label sets that never carry an ID or a secret. */
@QuarkusTest
class MetricsTest {

    @Test
    void countsOutcomesRejectionsAndWaitsWithoutNamingCorrelationsOrSecrets() {
        String id = "metrics-" + UUID.randomUUID();
        double completedBefore = sample("rendezvous_outcomes_total{outcome=\"completed\"}");
        double notFoundBefore = sample("rendezvous_rejected_total{reason=\"not_found\"}");
        double waitsBefore = sample("rendezvous_wait_time_seconds_count");
        JsonPath created = given().contentType("application/json")
                .body(Map.of("id", id, "ttl", 60))
                .post("/v1/correlations")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String token = created.getString("callbackToken");

        given().get("/v1/correlations/" + id + "/result?wait=1").then().statusCode(202);
        given().body("done")
                .post("/v1/correlations/" + id + "/result?token=" + token)
                .then()
                .statusCode(204);
        given().get("/v1/correlations/" + UUID.randomUUID()).then().statusCode(404);

        String metrics = scrape();
        assertThat(
                sample("rendezvous_outcomes_total{outcome=\"completed\"}"), greaterThanOrEqualTo(completedBefore + 1));
        assertThat(sample("rendezvous_rejected_total{reason=\"not_found\"}"), greaterThanOrEqualTo(notFoundBefore + 1));
        assertThat(sample("rendezvous_wait_time_seconds_count"), greaterThanOrEqualTo(waitsBefore + 1));
        assertThat(sample("rendezvous_settle_time_seconds_count{outcome=\"completed\"}"), greaterThan(0.0));
        assertThat(metrics, containsString("rendezvous_waiting{kind=\"long-poll\"}"));
        assertThat(metrics, containsString("rendezvous_waiting{kind=\"sse\"}"));
        assertThat(metrics, containsString("rendezvous_correlations_pending"));
        assertThat(metrics, not(containsString(id)));
        assertThat(metrics, not(containsString(token)));
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one sample; 0 when it does not exist yet. */
    private static double sample(String name) {
        for (String line : scrape().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        return 0;
    }
}
