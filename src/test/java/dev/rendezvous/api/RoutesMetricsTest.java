package dev.rendezvous.api;

import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import dev.rendezvous.support.PushWorker;
import dev.rendezvous.support.RoutesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The meters of dispatching, and the dispatch latency from submission to the worker's receipt. */
@QuarkusTest
@TestProfile(RoutesProfile.class)
class RoutesMetricsTest {

    private static final Logger LOG = Logger.getLogger(RoutesMetricsTest.class);

    @Test
    void countsAttemptsRetriesFailuresByCauseAndLeaseExpiriesPerRoute() {
        double attempts = sample("rendezvous_dispatch_attempts_total{route=\"flaky\"}");
        double retries = sample("rendezvous_dispatch_retries_total{route=\"flaky\"}");
        double rejected = sample("rendezvous_dispatch_failures_total{cause=\"rejected\",route=\"rejecting\"}");
        double expiries = sample("rendezvous_lease_expiries_total{route=\"expiring\"}");

        RoutesPushTest.submit("flaky", uniqueId("metrics"), "wait=20", "x")
                .then()
                .statusCode(200);
        RoutesPushTest.submit("rejecting", uniqueId("metrics"), "wait=20", "x")
                .then()
                .statusCode(502);
        String leased = uniqueId("metrics");
        RoutesPullTest.submit("expiring", leased, null).then().statusCode(202);
        RoutesPullTest.takeJobOf("expiring", leased);
        RoutesPullTest.takeJobOf("expiring", leased);

        assertThat(sample("rendezvous_dispatch_attempts_total{route=\"flaky\"}"), greaterThanOrEqualTo(attempts + 3));
        assertThat(sample("rendezvous_dispatch_retries_total{route=\"flaky\"}"), greaterThanOrEqualTo(retries + 2));
        assertThat(
                sample("rendezvous_dispatch_failures_total{cause=\"rejected\",route=\"rejecting\"}"),
                greaterThanOrEqualTo(rejected + 1));
        assertThat(sample("rendezvous_lease_expiries_total{route=\"expiring\"}"), greaterThanOrEqualTo(expiries + 1));
        assertThat(scrape(), containsString("rendezvous_route_queued{route=\"small\"}"));
    }

    /**
     * Submissions one after another with a plain JDK client (RestAssured's own overhead would be most
     * of the figure), after 20 unmeasured ones; the worker stamps each dispatch on arrival.
     */
    @Test
    void measuresTheDispatchLatencyFromSubmissionToTheWorkersReceipt() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI route = URI.create("http://localhost:" + RestAssured.port + "/v1/routes/answering/correlations?id=");
        List<Long> micros = new ArrayList<>();
        for (int i = -20; i < 100; i++) {
            String id = uniqueId("latency");
            HttpRequest submission = HttpRequest.newBuilder(URI.create(route + id))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("job " + i))
                    .build();
            long submitted = System.nanoTime();
            assertThat(
                    client.send(submission, HttpResponse.BodyHandlers.discarding())
                            .statusCode(),
                    equalTo(202));
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> !PushWorker.current().dispatches(id).isEmpty());
            if (i >= 0) {
                micros.add((PushWorker.current().dispatches(id).get(0).receivedAt() - submitted) / 1000);
            }
        }
        Collections.sort(micros);
        long p50 = micros.get(49);
        long p99 = micros.get(98);
        LOG.infof(
                "dispatch latency, submission to worker receipt, over 100 jobs: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                p50 / 1000.0, p99 / 1000.0, micros.get(99) / 1000.0);
        assertThat(p50, greaterThan(0L));
        assertThat("p99 in µs", p99, lessThan(1_000_000L));
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double sample(String name) {
        for (String line : scrape().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        return 0;
    }
}
