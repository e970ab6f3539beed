package dev.rendezvous.correlation.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.CorrelationStore;
import dev.rendezvous.support.Wiring;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryCorrelationStoreTest {

    /** API keys off: every client may act on every correlation. */
    private static final String OPEN = null;

    /** A callback without a Standard Webhooks signature. */
    private static final String UNSIGNED = null;

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final CallbackToken.Hash TOKEN = CallbackToken.hash("secret");
    private static final Duration RETENTION = Duration.ofMinutes(1);

    private final MemoryCorrelationStore store = Wiring.newMemoryStore(3, 100);

    @Test
    void refusesASecondCorrelationWithTheSameId() {
        create("a", Duration.ofSeconds(10));

        assertRejected(Rejection.ID_TAKEN, store.create(pending("a", Duration.ofSeconds(10)), T0));
    }

    @Test
    void refusesCreationBeyondMaxCorrelations() {
        create("a", Duration.ofSeconds(10));
        create("b", Duration.ofSeconds(10));
        create("c", Duration.ofSeconds(10));

        assertRejected(Rejection.TOO_MANY_CORRELATIONS, store.create(pending("d", Duration.ofSeconds(10)), T0));
        assertEquals(3, store.usage().count("correlations"));
    }

    @Test
    void acknowledgesAByteIdenticalRepeatAndRefusesAnythingElse() {
        create("a", Duration.ofSeconds(10));
        CorrelationStore.Settlement first = settle("a", result("done", "text/plain"));
        CorrelationStore.Settlement repeat = settle("a", result("done", "text/plain"));

        assertTrue(first.changed());
        assertFalse(repeat.changed());
        assertRejected(
                Rejection.ALREADY_SETTLED, store.settle("a", TOKEN, result("done", "application/json"), UNSIGNED, T0));
        assertRejected(
                Rejection.ALREADY_SETTLED, store.settle("a", TOKEN, result("other", "text/plain"), UNSIGNED, T0));
        assertRejected(
                Rejection.ALREADY_SETTLED, store.settle("a", TOKEN, new Outcome.Failure(502, "x", null), UNSIGNED, T0));
        assertArrayEquals(bytes("done"), ((Outcome.Result) find("a", T0).outcome()).body());
    }

    @Test
    void refusesAWrongTokenWithoutChangingAnything() {
        create("a", Duration.ofSeconds(10));

        assertRejected(
                Rejection.UNAUTHORIZED,
                store.settle("a", CallbackToken.hash("guess"), result("x", null), UNSIGNED, T0));
        assertEquals(State.PENDING, find("a", T0).state());
    }

    @Test
    void keepsAResultForTheRetentionPeriodEvenWhenTheTtlEndsSooner() {
        create("a", Duration.ofSeconds(5));
        settle("a", result("done", null));

        assertEquals(State.COMPLETED, find("a", T0.plusSeconds(59)).state());
        assertNull(find("a", T0.plus(RETENTION)));
    }

    @Test
    void refusesResultsBeyondMaxStoredBytesAndFreesThemWhenConsumed() {
        create("a", Duration.ofSeconds(10));
        create("b", Duration.ofSeconds(10));
        settle("a", result("x".repeat(80), null));

        assertRejected(Rejection.STORE_FULL, store.settle("b", TOKEN, result("y".repeat(30), null), UNSIGNED, T0));
        assertEquals(80, store.usage().count("storedBytes"));

        consume("a", OPEN);
        assertEquals(0, store.usage().count("storedBytes"));
        assertTrue(settle("b", result("y".repeat(30), null)).changed());
    }

    @Test
    void letsExactlyOneReaderConsume() {
        create("a", Duration.ofSeconds(10));
        settle("a", result("done", null));

        Correlation read = find("a", T0);

        assertTrue(store.consume(read, OPEN, T0).await().indefinitely());
        assertFalse(store.consume(read, OPEN, T0).await().indefinitely());
        assertNull(find("a", T0));
    }

    @Test
    void consumesOnlyTheIncarnationItsReaderFound() {
        create("a", Duration.ofSeconds(10));
        settle("a", result("first", null));
        Correlation first = find("a", T0);
        assertTrue(consume("a", OPEN));
        Instant later = T0.plusMillis(1);
        store.create(Correlation.pending("a", TOKEN, Duration.ofSeconds(10), later), later)
                .await()
                .indefinitely();
        store.settle("a", TOKEN, result("second", null), UNSIGNED, later)
                .await()
                .indefinitely();

        assertFalse(store.consume(first, OPEN, later).await().indefinitely());
        assertEquals(State.COMPLETED, find("a", later).state());
    }

    @Test
    void prunesOnlyWhatExpiredHonouringHeartbeats() {
        create("short", Duration.ofSeconds(5));
        create("beating", Duration.ofSeconds(5));
        create("long", Duration.ofSeconds(60));
        store.heartbeat("beating", TOKEN, Duration.ofSeconds(30), "{\"progress\":40}", false, T0.plusSeconds(4))
                .await()
                .indefinitely();

        List<String> pruned = store.pruneExpired(T0.plusSeconds(10)).await().indefinitely();

        assertEquals(List.of("short"), pruned);
        assertEquals(2, store.usage().count("correlations"));
        assertEquals(
                List.of("beating"),
                store.pruneExpired(T0.plusSeconds(34)).await().indefinitely());
    }

    @Test
    void letsAPrunedIdBeCreatedAgain() {
        create("a", Duration.ofSeconds(1));
        store.pruneExpired(T0.plusSeconds(1)).await().indefinitely();

        Correlation again = store.create(pending("a", Duration.ofSeconds(1)), T0.plusSeconds(1))
                .await()
                .indefinitely();

        assertEquals(State.PENDING, again.state());
    }

    @Test
    void refusesHeartbeatsAndCallbacksOnceCancelled() {
        create("a", Duration.ofSeconds(10));
        assertTrue(store.cancel("a", OPEN, T0).await().indefinitely().changed());

        assertFalse(store.cancel("a", OPEN, T0).await().indefinitely().changed());
        assertRejected(Rejection.CANCELLED, store.settle("a", TOKEN, result("x", null), UNSIGNED, T0));
        assertRejected(Rejection.CANCELLED, store.heartbeat("a", TOKEN, null, null, false, T0));
    }

    @Test
    void keepsOneExpiryEntryPerCorrelationHoweverOftenItsExpiryMoves() {
        create("a", Duration.ofSeconds(10));
        create("b", Duration.ofSeconds(10));
        for (int beat = 1; beat <= 1_000; beat++) {
            store.heartbeat("a", TOKEN, Duration.ofSeconds(10 + beat), null, false, T0)
                    .await()
                    .indefinitely();
        }
        settle("a", result("done", null));
        assertEquals(2, store.expiryIndexSize());

        consume("a", OPEN);
        store.cancel("b", OPEN, T0).await().indefinitely();

        assertEquals(1, store.expiryIndexSize());
        assertEquals(
                List.of("b"), store.pruneExpired(T0.plusSeconds(10)).await().indefinitely());
        assertEquals(0, store.expiryIndexSize());
    }

    @Test
    void countsHeartbeatDetailsAgainstMaxStoredBytes() {
        create("a", Duration.ofSeconds(10));
        String details = "{\"log\":\"" + "x".repeat(120) + "\"}";

        assertRejected(Rejection.STORE_FULL, store.heartbeat("a", TOKEN, null, details, false, T0));
        assertNull(find("a", T0).lastHeartbeat());

        store.heartbeat("a", TOKEN, null, "{\"progress\":40}", false, T0)
                .await()
                .indefinitely();
        assertEquals(15, store.usage().count("storedBytes"));
    }

    @Test
    void neitherCancelsNorConsumesAnotherOwnersCorrelation() {
        store.create(Correlation.pending("mine", TOKEN, Duration.ofSeconds(10), T0, "owner-a"), T0)
                .await()
                .indefinitely();
        store.create(Correlation.pending("done", TOKEN, Duration.ofSeconds(10), T0, "owner-a"), T0)
                .await()
                .indefinitely();
        settle("done", result("secret", null));

        assertRejected(Rejection.NOT_FOUND, store.cancel("mine", "owner-b", T0));
        assertFalse(consume("done", "owner-b"));
        assertFalse(consume("done", OPEN));

        assertEquals(State.PENDING, find("mine", T0).state());
        assertEquals(State.COMPLETED, find("done", T0).state());
        assertTrue(consume("done", "owner-a"));
    }

    @Test
    void refusesAnOwnerMoreCorrelationsThanItsQuotaUntilOneGoes() {
        MemoryCorrelationStore quota = new MemoryCorrelationStore(Wiring.config(
                "rendezvous.max-correlations", "100",
                "rendezvous.max-correlations-per-key", "2",
                "rendezvous.max-stored-bytes", "1000",
                "rendezvous.result-retention", "1M"));
        quota.create(Correlation.pending("a", TOKEN, Duration.ofSeconds(5), T0, "owner"), T0)
                .await()
                .indefinitely();
        quota.create(Correlation.pending("b", TOKEN, Duration.ofSeconds(60), T0, "owner"), T0)
                .await()
                .indefinitely();

        assertRejected(
                Rejection.TOO_MANY_FOR_KEY,
                quota.create(Correlation.pending("c", TOKEN, Duration.ofSeconds(60), T0, "owner"), T0));
        quota.create(Correlation.pending("d", TOKEN, Duration.ofSeconds(60), T0, "other"), T0)
                .await()
                .indefinitely();

        quota.pruneExpired(T0.plusSeconds(5)).await().indefinitely();
        Correlation again = quota.create(
                        Correlation.pending("c", TOKEN, Duration.ofSeconds(60), T0.plusSeconds(5), "owner"),
                        T0.plusSeconds(5))
                .await()
                .indefinitely();
        assertEquals("c", again.id());
    }

    private void create(String id, Duration ttl) {
        store.create(pending(id, ttl), T0).await().indefinitely();
    }

    private static Correlation pending(String id, Duration ttl) {
        return Correlation.pending(id, TOKEN, ttl, T0);
    }

    private CorrelationStore.Settlement settle(String id, Outcome outcome) {
        return store.settle(id, TOKEN, outcome, UNSIGNED, T0).await().indefinitely();
    }

    /** Consumes {@code id} as {@code owner}'s reader, having read it just before. */
    private boolean consume(String id, String owner) {
        return store.consume(find(id, T0), owner, T0).await().indefinitely();
    }

    private Correlation find(String id, Instant at) {
        return store.find(id, at).await().indefinitely();
    }

    private static Outcome.Result result(String body, String contentType) {
        return new Outcome.Result(bytes(body), contentType);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRejected(Rejection expected, Uni<?> operation) {
        RendezvousException e =
                assertThrows(RendezvousException.class, () -> operation.await().indefinitely());
        assertEquals(expected, e.rejection());
    }
}
