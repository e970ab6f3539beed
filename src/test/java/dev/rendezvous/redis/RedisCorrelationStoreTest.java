package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Heartbeat;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.RedisStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Redis store's scripts, called directly where the HTTP API cannot stage the case. */
@QuarkusTest
@TestProfile(RedisStoreProfile.class)
class RedisCorrelationStoreTest {

    private static final CallbackToken.Hash TOKEN = CallbackToken.hash(CallbackToken.generate());

    @Inject
    @Identifier("redis")
    RedisCorrelationStore store;

    @Test
    void consumesOnlyTheIncarnationItsReaderFound() {
        String id = "consume-" + UUID.randomUUID();
        Instant first = now();
        Correlation read = createAndComplete(id, "first", first);

        assertTrue(store.consume(read, null, first).await().indefinitely());
        assertFalse(store.consume(read, null, first).await().indefinitely(), "a second reader");

        Instant again = first.plusMillis(1);
        Correlation next = createAndComplete(id, "second", again);
        assertFalse(store.consume(read, null, again).await().indefinitely(), "the first incarnation's reader");
        assertArrayEquals(
                body("second"),
                ((Outcome.Result) store.find(id, again).await().indefinitely().outcome()).body());
        assertTrue(store.consume(next, null, again).await().indefinitely());
    }

    @Test
    void answersWhichLongPolledCorrelationsAreNoLongerPendingInTheirIncarnation() {
        String prefix = "changed-" + UUID.randomUUID() + "-";
        Instant now = now();
        Correlation quiet = create(prefix + "quiet", now);
        Correlation recreated = create(prefix + "recreated", now);
        Correlation completed = createAndComplete(prefix + "completed", "done", now);
        Correlation consumed = createAndComplete(prefix + "consumed", "done", now);
        store.consume(consumed, null, now).await().indefinitely();
        Correlation cancelled = create(prefix + "cancelled", now);
        store.cancel(cancelled.id(), null, now).await().indefinitely();

        List<String> changed = store.changed(
                        List.of(
                                quiet.id(),
                                recreated.id(),
                                completed.id(),
                                consumed.id(),
                                cancelled.id(),
                                prefix + "gone"),
                        List.of(now, now.minusSeconds(1), now, now, now, now),
                        now)
                .await()
                .indefinitely();

        assertEquals(
                List.of(recreated.id(), completed.id(), consumed.id(), cancelled.id(), prefix + "gone"),
                changed,
                "all but the one still pending in the incarnation waited on");
        assertEquals(List.of(), store.changed(List.of(), List.of(), now).await().indefinitely());
    }

    @Test
    void takesACorrelationPastItsExpiryByThisReplicasClockForChanged() {
        Instant now = now();
        Correlation pending = create("expiring-" + UUID.randomUUID(), now);

        assertEquals(
                List.of(),
                store.changed(List.of(pending.id()), List.of(now), now).await().indefinitely(),
                "nothing changed: an empty answer");
        assertEquals(
                List.of(pending.id()),
                store.changed(List.of(pending.id()), List.of(now), pending.expiresAt())
                        .await()
                        .indefinitely(),
                "a clock ahead of Redis's sees it expired before Redis drops it");
    }

    @Test
    void settlesALargeResultWithoutRedisSendingItBack() {
        String id = "large-" + UUID.randomUUID();
        Instant now = now();
        create(id, now);
        byte[] body = new byte[1024 * 1024];
        new Random(7).nextBytes(body);
        long sentBefore = redisOutputBytes();

        Correlation settled = store.settle(id, TOKEN, new Outcome.Result(body, "application/octet-stream"), null, now)
                .await()
                .indefinitely()
                .correlation();

        long sent = redisOutputBytes() - sentBefore;
        assertArrayEquals(body, ((Outcome.Result) settled.outcome()).body(), "the settled snapshot's body");
        assertEquals("application/octet-stream", ((Outcome.Result) settled.outcome()).contentType());
        assertTrue(sent < 64 * 1024, () -> "Redis sent " + sent + " bytes for one settle of a 1 MiB result");
        assertArrayEquals(
                body,
                ((Outcome.Result) store.find(id, now).await().indefinitely().outcome()).body(),
                "stored");
    }

    @Test
    void wakesUpWithTheIdAloneOnTheChannelOfItsBucket() throws InterruptedException {
        BlockingQueue<byte[]> heard = new LinkedBlockingQueue<>();
        RedisConnection subscriber = subscribe(heard);
        try {
            Instant now = now();
            String id = "woken-" + UUID.randomUUID();
            create(id, now);

            store.settle(id, TOKEN, new Outcome.Result(body("done"), "text/plain"), null, now)
                    .await()
                    .indefinitely();

            assertArrayEquals(id.getBytes(StandardCharsets.UTF_8), heard.poll(10, TimeUnit.SECONDS));
        } finally {
            subscriber.close().await().indefinitely();
        }
    }

    @Test
    void answersASignedFailureExactlyAsItStoredIt() throws InterruptedException {
        byte[] key = new byte[32];
        new Random(11).nextBytes(key);
        assertSettlesAsStored(
                Correlation.pending("failed-" + UUID.randomUUID(), TOKEN, Duration.ofMinutes(1), now(), "owner-a", key),
                new Outcome.Failure(422, "Unreadable", null),
                "msg-1");
    }

    @Test
    void answersAnUnsignedResultExactlyAsItStoredIt() throws InterruptedException {
        assertSettlesAsStored(
                Correlation.pending("completed-" + UUID.randomUUID(), TOKEN, Duration.ofMinutes(1), now()),
                new Outcome.Result(body("{\"pages\":3}"), "application/json"),
                null);
    }

    /**
     * Settles {@code pending} (after a heartbeat) and checks that the settle's answer describes the
     * correlation exactly as a later read finds it.
     */
    private void assertSettlesAsStored(Correlation pending, Outcome outcome, String messageId)
            throws InterruptedException {
        BlockingQueue<byte[]> heard = new LinkedBlockingQueue<>();
        RedisConnection subscriber = subscribe(heard);
        try {
            String id = pending.id();
            Instant at = pending.createdAt();
            store.create(pending, at).await().indefinitely();
            boolean signed = pending.requiresSignature();
            store.heartbeat(id, TOKEN, Duration.ofMinutes(2), "{\"done\":0.5}", signed, at.plusMillis(5))
                    .await()
                    .indefinitely();
            assertNotNull(heard.poll(10, TimeUnit.SECONDS), "the heartbeat's wake-up");

            Correlation answered = store.settle(id, TOKEN, outcome, messageId, at.plusMillis(9))
                    .await()
                    .indefinitely()
                    .correlation();

            Correlation stored = store.findSettled(id, at).await().indefinitely();
            assertNotNull(heard.poll(10, TimeUnit.SECONDS), "the settle's wake-up");
            assertSameOutcome(outcome, stored.outcome());
            assertEquals(at.plusMillis(9), stored.completedAt());
            assertEquals(messageId, stored.settledBy());
            assertEquals(new Heartbeat(at.plusMillis(5), "{\"done\":0.5}"), stored.lastHeartbeat());
            assertEquals(stored.state(), answered.state());
            assertEquals(stored.createdAt(), answered.createdAt());
            assertEquals(stored.expiresAt(), answered.expiresAt());
            assertEquals(stored.ttl(), answered.ttl());
            assertEquals(stored.completedAt(), answered.completedAt());
            assertEquals(stored.tokenHash(), answered.tokenHash());
            assertSameOutcome(stored.outcome(), answered.outcome());
            assertEquals(stored.lastHeartbeat(), answered.lastHeartbeat());
            assertEquals(pending.owner(), answered.owner());
            assertArrayEquals(pending.signingKey(), answered.signingKey());
            assertEquals(stored.settledBy(), answered.settledBy());
        } finally {
            subscriber.close().await().indefinitely();
        }
    }

    private static void assertSameOutcome(Outcome expected, Outcome actual) {
        if (expected instanceof Outcome.Result result) {
            Outcome.Result other = assertInstanceOf(Outcome.Result.class, actual);
            assertArrayEquals(result.body(), other.body());
            assertEquals(result.contentType(), other.contentType());
        } else {
            assertEquals(expected, actual);
        }
    }

    /** A connection subscribed to the wake-ups, adding each message to {@code heard}. */
    private RedisConnection subscribe(BlockingQueue<byte[]> heard) {
        RedisConnection subscriber = store.client().connect().await().indefinitely();
        subscriber.handler(message -> {
            if (message.size() == 3 && "smessage".equals(message.get(0).toString())) {
                heard.add(message.get(2).toBytes());
            }
        });
        for (String channel : store.channels()) {
            subscriber
                    .send(Request.cmd(Command.SSUBSCRIBE).arg(channel))
                    .await()
                    .indefinitely();
        }
        return subscriber;
    }

    /** Bytes Redis has sent to all its clients so far (a private server: only this service's connections). */
    private long redisOutputBytes() {
        Response stats = store.client()
                .send(Request.cmd(Command.INFO).arg("stats"))
                .await()
                .indefinitely();
        return RedisServer.infoNumber(stats, "total_net_output_bytes").orElseThrow();
    }

    private Correlation create(String id, Instant at) {
        Correlation pending = Correlation.pending(id, TOKEN, Duration.ofMinutes(1), at);
        store.create(pending, at).await().indefinitely();
        return pending;
    }

    private Correlation createAndComplete(String id, String result, Instant at) {
        create(id, at);
        return store.settle(id, TOKEN, new Outcome.Result(body(result), null), null, at)
                .await()
                .indefinitely()
                .correlation();
    }

    /** The time in milliseconds, as the service keeps it. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
