package dev.rendezvous.exchange;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Http;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real HTTP, many requests in flight: every waiter gets exactly one answer and none is left behind. */
@QuarkusTest
class ConcurrentExchangeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @Inject
    WaiterRegistry registry;

    @AfterEach
    void noWaiterIsLeftRegistered() {
        await().atMost(PATIENCE).until(() -> registry.waiting() == 0);
    }

    @Test
    void deliversEveryResultToEachOfItsWaitersAcrossHundredsOfExchanges() {
        Http http = new Http(base);
        String run = UUID.randomUUID().toString();
        List<Http.Created> correlations = IntStream.range(0, 300)
                .mapToObj(i -> http.create(run + "-" + i))
                .toList();
        List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
        for (Http.Created correlation : correlations) {
            waiters.add(http.get(resultOf(correlation.id(), "wait=30")));
            waiters.add(http.get(resultOf(correlation.id(), "wait=30")));
        }
        await().atMost(PATIENCE).until(() -> registry.waiting() == 600);

        List<HttpResponse<String>> deliveries = correlations.stream()
                .map(correlation -> http.deliver(correlation, "result of " + correlation.id()))
                .toList()
                .stream()
                .map(CompletableFuture::join)
                .toList();

        deliveries.forEach(delivery -> assertEquals(204, delivery.statusCode()));
        for (int i = 0; i < waiters.size(); i++) {
            HttpResponse<String> answer = waiters.get(i).join();
            assertEquals(200, answer.statusCode());
            assertEquals("result of " + correlations.get(i / 2).id(), answer.body());
        }
    }

    @Test
    void wakesHundredsOfWaitersOnOneIdAtOnce() {
        Http http = new Http(base);
        Http.Created correlation = http.create(UUID.randomUUID().toString());
        List<CompletableFuture<HttpResponse<String>>> waiters = IntStream.range(0, 200)
                .mapToObj(i -> http.get(resultOf(correlation.id(), "wait=30")))
                .toList();
        await().atMost(PATIENCE).until(() -> registry.waiting() == 200);

        assertEquals(204, http.deliver(correlation, "shared").join().statusCode());

        waiters.forEach(waiter -> assertEquals("shared", waiter.join().body()));
    }

    @Test
    void letsExactlyOneOfManyRacingCallbacksWin() {
        Http http = new Http(base);
        Http.Created correlation = http.create(UUID.randomUUID().toString());
        List<CompletableFuture<HttpResponse<String>>> waiters = IntStream.range(0, 20)
                .mapToObj(i -> http.get(resultOf(correlation.id(), "wait=30")))
                .toList();
        await().atMost(PATIENCE).until(() -> registry.waiting() == 20);

        List<HttpResponse<String>> callbacks =
                IntStream.range(0, 50).mapToObj(i -> http.deliver(correlation, "attempt " + i)).toList().stream()
                        .map(CompletableFuture::join)
                        .toList();

        List<Integer> statuses =
                callbacks.stream().map(HttpResponse::statusCode).toList();
        assertEquals(1, statuses.stream().filter(status -> status == 204).count(), statuses::toString);
        assertEquals(49, statuses.stream().filter(status -> status == 409).count(), statuses::toString);
        String winner = waiters.get(0).join().body();
        assertTrue(winner.startsWith("attempt "));
        waiters.forEach(waiter -> assertEquals(winner, waiter.join().body()));
    }

    @Test
    void settlesEachCallbackRacingACancelOneWayForEveryone() {
        Http http = new Http(base);
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < 50; i++) {
            Http.Created correlation = http.create(run + "-" + i);
            CompletableFuture<HttpResponse<String>> waiter = http.get(resultOf(correlation.id(), "wait=30"));
            await().atMost(PATIENCE).until(() -> registry.waiting() == 1);

            CompletableFuture<HttpResponse<String>> delivery = http.deliver(correlation, "done");
            CompletableFuture<HttpResponse<String>> cancel = http.delete("/v1/correlations/" + correlation.id());

            int delivered = delivery.join().statusCode();
            int cancelled = cancel.join().statusCode();
            int waited = waiter.join().statusCode();
            if (delivered == 204) {
                assertEquals(List.of(409, 200), List.of(cancelled, waited));
            } else {
                assertEquals(List.of(410, 204, 410), List.of(delivered, cancelled, waited));
            }
        }
    }

    @Test
    void letsExactlyOneOfManyConsumingReadersHaveTheResult() {
        Http http = new Http(base);
        Http.Created correlation = http.create(UUID.randomUUID().toString());
        List<CompletableFuture<HttpResponse<String>>> plain = IntStream.range(0, 10)
                .mapToObj(i -> http.get(resultOf(correlation.id(), "wait=30")))
                .toList();
        List<CompletableFuture<HttpResponse<String>>> consuming = IntStream.range(0, 10)
                .mapToObj(i -> http.get(resultOf(correlation.id(), "wait=30&consume=true")))
                .toList();
        await().atMost(PATIENCE).until(() -> registry.waiting() == 20);

        assertEquals(204, http.deliver(correlation, "once").join().statusCode());

        plain.forEach(waiter -> assertEquals("once", waiter.join().body()));
        List<Integer> consumed =
                consuming.stream().map(f -> f.join().statusCode()).collect(Collectors.toList());
        assertEquals(1, consumed.stream().filter(status -> status == 200).count(), consumed::toString);
        assertEquals(9, consumed.stream().filter(status -> status == 404).count(), consumed::toString);
        assertEquals(
                404, http.get("/v1/correlations/" + correlation.id()).join().statusCode());
    }

    private static String resultOf(String id, String query) {
        return "/v1/correlations/" + id + "/result?" + query;
    }
}
