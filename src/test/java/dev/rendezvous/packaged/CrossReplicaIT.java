package dev.rendezvous.packaged;

import static dev.rendezvous.packaged.Answers.assertNoContent;
import static dev.rendezvous.packaged.Answers.assertProblem;
import static dev.rendezvous.packaged.Answers.assertResult;
import static dev.rendezvous.packaged.Answers.awaitWaiters;
import static dev.rendezvous.packaged.Answers.binaryBody;
import static dev.rendezvous.packaged.Answers.joinAll;
import static dev.rendezvous.packaged.Answers.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import dev.rendezvous.support.ReplicaClient.Created;
import dev.rendezvous.support.ReplicaPair;
import dev.rendezvous.support.TwoReplicas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas of the packaged application sharing one Redis: whatever happens on one replica is
 * seen by the clients of the other, and races between them have exactly one winner.
 */
class CrossReplicaIT extends TwoReplicas {

    private static final Logger LOG = Logger.getLogger(CrossReplicaIT.class);

    private static final String BINARY = "application/x-rendezvous-test";
    private static final Duration GENEROUS = Duration.ofSeconds(2);

    @RegisterExtension
    static final ReplicaPair PAIR = ReplicaPair.withRedis();

    CrossReplicaIT() {
        super(PAIR);
    }

    @Test
    void wakesWaitersOnBothReplicasWithTheExactBytesDeliveredOnEither() {
        int exchanges = 50;
        List<Long> crossMillis = new ArrayList<>();
        List<Long> localMillis = new ArrayList<>();
        for (int i = 0; i < exchanges; i++) {
            ReplicaClient creator = i % 2 == 0 ? a : b;
            ReplicaClient worker = i % 2 == 0 ? b : a;
            Created created = creator.created(uniqueId("cross"), 60);
            String id = created.id();
            CompletableFuture<Answer> onA = a.result(id, 30);
            CompletableFuture<Answer> onB = b.result(id, 30);
            awaitWaiters(a, 1);
            awaitWaiters(b, 1);
            byte[] body = binaryBody("exchange " + i);

            Answer delivered = worker.deliver(id, created.token(), body, BINARY).join();

            assertNoContent(delivered);
            Answer waiterA = onA.join();
            Answer waiterB = onB.join();
            assertResult(waiterA, body, BINARY);
            assertResult(waiterB, body, BINARY);
            Answer local = worker == a ? waiterA : waiterB;
            Answer remote = worker == a ? waiterB : waiterA;
            long cross = Duration.ofNanos(remote.receivedAt() - delivered.receivedAt())
                    .toMillis();
            long same = Duration.ofNanos(local.receivedAt() - delivered.receivedAt())
                    .toMillis();
            assertTrue(cross < GENEROUS.toMillis(), () -> "the other replica's waiter took " + cross + " ms");
            assertTrue(same < GENEROUS.toMillis(), () -> "the worker's replica's waiter took " + same + " ms");
            crossMillis.add(cross);
            localMillis.add(same);
        }
        LOG.infof(
                "wake-up after the delivery's 204 over %d exchanges:"
                        + " other replica p50 %d ms, max %d ms; same replica p50 %d ms, max %d ms",
                exchanges, p50(crossMillis), max(crossMillis), p50(localMillis), max(localMillis));
    }

    @Test
    void createsAClientChosenIdOnlyOnceWhenBothReplicasRaceForIt() {
        String id = uniqueId("duplicate");
        List<CompletableFuture<Answer>> racing = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            racing.add((i % 2 == 0 ? a : b).create(id, 60));
        }

        List<Answer> answers = joinAll(racing);

        List<Answer> created =
                answers.stream().filter(answer -> answer.status() == 201).toList();
        assertEquals(1, created.size(), () -> "creates: " + answers);
        answers.stream().filter(answer -> answer.status() != 201).forEach(answer -> {
            assertProblem(answer, 409);
            assertNull(answer.json().get("callbackToken"), () -> "a refused create issued a token: " + answer);
        });
        Answer winner = created.get(0);
        assertTrue(winner.contentType().startsWith("application/json"), winner::toString);
        assertEquals(id, winner.json().get("id").asText());
        String token = winner.json().get("callbackToken").asText();
        ReplicaClient other = winner.replica().equals("A") ? b : a;
        byte[] body = "the winner's".getBytes(StandardCharsets.UTF_8);

        assertProblem(other.deliver(id, "not-" + token, body, "text/plain").join(), 401);
        assertNoContent(other.deliver(id, token, body, "text/plain").join());
        assertResult(a.result(id, 0).join(), body, "text/plain");
    }

    @Test
    void cancellingOnOneReplicaAnswersWaitersOnTheOtherWith410() {
        Created created = a.created(uniqueId("cancel"), 60);
        String id = created.id();
        CompletableFuture<Answer> waiter = b.result(id, 30);
        awaitWaiters(b, 1);

        assertNoContent(a.cancel(id).join());

        assertProblem(waiter.join(), 410);
        assertProblem(b.deliver(id, created.token(), new byte[] {1}, BINARY).join(), 410);
        assertProblem(b.result(id, 0).join(), 410);
        assertEquals("cancelled", b.status(id).join().json().get("state").asText());
    }

    @Test
    void letsExactlyOneOfTenConsumingReadersOnBothReplicasHaveTheResult() {
        Created created = a.created(uniqueId("consume"), 60);
        String id = created.id();
        byte[] body = binaryBody("read once");
        assertNoContent(b.deliver(id, created.token(), body, BINARY).join());
        List<CompletableFuture<Answer>> reading = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            reading.add((i % 2 == 0 ? a : b).consume(id));
        }

        List<Answer> answers = joinAll(reading);

        List<Answer> winners =
                answers.stream().filter(answer -> answer.status() == 200).toList();
        assertEquals(1, winners.size(), () -> "consuming reads: " + answers);
        assertResult(winners.get(0), body, BINARY);
        answers.stream().filter(answer -> answer.status() != 200).forEach(answer -> assertProblem(answer, 404));
        assertProblem(a.status(id).join(), 404);
        assertProblem(b.result(id, 0).join(), 404);
    }

    @Test
    void answersAWaiterOnTheOtherReplica404WhenItsCorrelationExpires() {
        String id = a.created(uniqueId("expiry"), 1).id();
        long started = System.nanoTime();

        Answer answer = b.result(id, 10).join();

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertProblem(answer, 404);
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, () -> "the expired waiter was answered after " + took);
        assertProblem(a.status(id).join(), 404);
    }

    @Test
    void keepsAResultDeliveredBeforeAnyoneWaitsReadableOnTheOtherReplica() {
        Created created = b.created(uniqueId("early"), 60);
        String id = created.id();
        byte[] body = binaryBody("early bird");
        assertNoContent(a.deliver(id, created.token(), body, BINARY).join());

        assertResult(b.result(id, 0).join(), body, BINARY);
        assertResult(b.result(id, 30).join(), body, BINARY);
        assertResult(a.result(id, 0).join(), body, BINARY);
        Answer status = b.status(id).join();
        assertEquals(200, status.status(), status::toString);
        assertEquals("completed", status.json().get("state").asText());
        assertTrue(status.json().hasNonNull("completedAt"), status::toString);
    }

    @Test
    void acknowledgesAByteIdenticalRepeatOnTheOtherReplicaAndRefusesADifferentResult() {
        Created created = a.created(uniqueId("repeat"), 60);
        String id = created.id();
        String token = created.token();
        byte[] body = binaryBody("first");
        assertNoContent(a.deliver(id, token, body, BINARY).join());

        assertNoContent(b.deliver(id, token, body, BINARY).join());
        assertProblem(b.deliver(id, token, binaryBody("second"), BINARY).join(), 409);
        assertProblem(a.deliver(id, token, body, "application/octet-stream").join(), 409);
        assertResult(b.result(id, 0).join(), body, BINARY);
    }

    private static long p50(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static long max(List<Long> values) {
        return Collections.max(values);
    }
}
