package dev.rendezvous.packaged;

import static dev.rendezvous.packaged.Answers.assertNoContent;
import static dev.rendezvous.packaged.Answers.assertProblem;
import static dev.rendezvous.packaged.Answers.assertResult;
import static dev.rendezvous.packaged.Answers.assertUnavailable;
import static dev.rendezvous.packaged.Answers.awaitReadiness;
import static dev.rendezvous.packaged.Answers.awaitWaiters;
import static dev.rendezvous.packaged.Answers.binaryBody;
import static dev.rendezvous.packaged.Answers.joinAll;
import static dev.rendezvous.packaged.Answers.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.RedisReplicas;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.Replica;
import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import dev.rendezvous.support.ReplicaClient.Created;
import dev.rendezvous.support.ReplicaPair;
import dev.rendezvous.support.TwoReplicas;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas against one Redis (with an append-only file) that crashes, freezes, cuts its pub/sub
 * clients off and loses keys, and a replica that crashes: clients get {@code 503} while the state
 * cannot be read or written, never a wrong answer, and nothing acknowledged is lost.
 */
class RedisFaultsIT extends TwoReplicas {

    private static final Logger LOG = Logger.getLogger(RedisFaultsIT.class);

    private static final String BINARY = "application/x-rendezvous-test";
    /** The sharded channels of correlations' wake-ups, one per bucket. */
    private static final String CHANNELS = "rendezvous:settled{*";

    private static final int BUCKETS = 256;

    @RegisterExtension
    static final ReplicaPair PAIR = ReplicaPair.withPersistentRedis();

    RedisFaultsIT() {
        super(PAIR);
    }

    /** A test that failed half-way must not leave Redis frozen or dead for the next one. */
    @AfterEach
    void redisAnswersAgain() {
        if (!answersPing()) {
            try {
                redis.resume();
            } catch (IllegalStateException notPaused) {
                // Dead rather than frozen: restarted below.
            }
            if (!answersPing()) {
                redis.restart();
            }
        }
        awaitReadiness(a, 200, Duration.ofSeconds(10));
        awaitReadiness(b, 200, Duration.ofSeconds(10));
        for (Replica replica : replicas) {
            assertFalse(replica.log().contains("Unexpected failure"), () -> replica + " failed:\n" + replica.log());
        }
    }

    @Test
    void keepsWaitersThroughARedisCrashAndAnswers503UntilTheRetriedDeliveryIsStored() {
        Created early = a.created(uniqueId("before-crash"), 120);
        byte[] earlyBody = binaryBody("delivered before the crash");
        assertNoContent(b.deliver(early.id(), early.token(), earlyBody, BINARY).join());
        List<Created> pending = new ArrayList<>();
        List<CompletableFuture<Answer>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Created created = (i % 2 == 0 ? a : b).created(uniqueId("through-crash"), 120);
            pending.add(created);
            waiters.add(a.result(created.id(), 40));
            waiters.add(b.result(created.id(), 40));
        }
        awaitWaiters(a, 4);
        awaitWaiters(b, 4);

        redis.kill();

        List<CompletableFuture<Answer>> duringOutage = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Created created = pending.get(i);
            duringOutage.add((i % 2 == 0 ? a : b).deliver(created.id(), created.token(), body(created), BINARY));
        }
        joinAll(duringOutage).forEach(Answers::assertUnavailable);
        assertUnavailable(a.result(early.id(), 0).join());
        assertUnavailable(b.status(early.id()).join());
        assertUnavailable(b.result(pending.get(0).id(), 5).join());
        assertUnavailable(a.create(uniqueId("during-outage"), 60).join());
        awaitReadiness(a, 503, Duration.ofSeconds(5));
        awaitReadiness(b, 503, Duration.ofSeconds(5));

        redis.restart();

        for (int i = 0; i < pending.size(); i++) {
            Created created = pending.get(i);
            ReplicaClient worker = i % 2 == 0 ? b : a;
            List<Answer> attempts = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Answer attempt = worker.deliver(created.id(), created.token(), body(created), BINARY)
                                .join();
                        attempts.add(attempt);
                        return attempt.status() != 503;
                    });
            attempts.subList(0, attempts.size() - 1).forEach(Answers::assertUnavailable);
            assertNoContent(attempts.get(attempts.size() - 1));
            LOG.infof("Redis crash: delivery %d stored after %d attempt(s) since the restart", i, attempts.size());
        }
        List<Answer> answers = joinAll(waiters);
        for (int i = 0; i < answers.size(); i++) {
            assertResult(answers.get(i), body(pending.get(i / 2)), BINARY);
        }
        assertResult(a.result(early.id(), 0).join(), earlyBody, BINARY);
        assertResult(b.result(early.id(), 0).join(), earlyBody, BINARY);
    }

    @Test
    void wakesEveryWaiterWhenThePubSubConnectionsAreCutJustBeforeTheDelivery() {
        List<Created> pending = new ArrayList<>();
        List<CompletableFuture<Answer>> waiters = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Created created = (i % 2 == 0 ? a : b).created(uniqueId("pubsub-cut"), 60);
            pending.add(created);
            waiters.add(a.result(created.id(), 15));
            waiters.add(b.result(created.id(), 15));
        }
        awaitWaiters(a, 6);
        awaitWaiters(b, 6);

        assertEquals(2L, redis.killPubSubClients(), "one subscription per replica");
        List<CompletableFuture<Answer>> deliveries = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Created created = pending.get(i);
            deliveries.add((i % 2 == 0 ? b : a).deliver(created.id(), created.token(), body(created), BINARY));
        }

        List<Answer> delivered = joinAll(deliveries);
        delivered.forEach(Answers::assertNoContent);
        long lastDelivery =
                delivered.stream().mapToLong(Answer::receivedAt).max().orElseThrow();
        List<Answer> answers = joinAll(waiters);
        long slowest = 0;
        for (int i = 0; i < answers.size(); i++) {
            assertResult(answers.get(i), body(pending.get(i / 2)), BINARY);
            slowest = Math.max(slowest, answers.get(i).receivedAt() - lastDelivery);
        }
        Duration took = Duration.ofNanos(slowest);
        LOG.infof("pub/sub cut: slowest waiter answered %d ms after the last 204", took.toMillis());
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, () -> "a waiter was answered after " + took);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> subscribers() == 2L);
    }

    @Test
    void answers503WhileRedisIsFrozenAndBecomesReadyAgainOnItsOwn() {
        Created created = a.created(uniqueId("frozen"), 60);
        byte[] body = body(created);
        CompletableFuture<Answer> waiter = b.result(created.id(), 40);
        awaitWaiters(b, 1);

        redis.pause();
        long started = System.nanoTime();
        Answer frozen = a.deliver(created.id(), created.token(), body, BINARY).join();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertUnavailable(frozen);
        LOG.infof("frozen Redis: delivery answered 503 after %d ms", took.toMillis());
        assertTrue(took.compareTo(Duration.ofMillis(4500)) < 0, () -> "the 503 came after " + took);
        awaitReadiness(a, 503, Duration.ofSeconds(5));
        awaitReadiness(b, 503, Duration.ofSeconds(5));
        redis.resume();

        awaitReadiness(a, 200, Duration.ofSeconds(10));
        awaitReadiness(b, 200, Duration.ofSeconds(10));
        assertNoContent(b.deliver(created.id(), created.token(), body, BINARY).join());
        assertResult(waiter.join(), body, BINARY);
        assertResult(a.result(created.id(), 0).join(), body, BINARY);
    }

    @Test
    void letsClientsOfACrashedReplicaRetryOnAnotherAndGetTheStoredResult() {
        Replica crashing = Replica.start(RedisReplicas.config(redis));
        try {
            ReplicaClient c = ReplicaClient.of("C", crashing);
            Created created = a.created(uniqueId("replica-crash"), 60);
            byte[] body = body(created);
            CompletableFuture<Answer> first = c.result(created.id(), 30);
            CompletableFuture<Answer> second = c.result(created.id(), 30);
            awaitWaiters(c, 2);

            crashing.kill9();

            assertThrows(CompletionException.class, first::join);
            assertThrows(CompletionException.class, second::join);
            CompletableFuture<Answer> firstRetry = b.result(created.id(), 30);
            awaitWaiters(b, 1);
            assertNoContent(
                    a.deliver(created.id(), created.token(), body, BINARY).join());
            assertResult(firstRetry.join(), body, BINARY);
            assertResult(a.result(created.id(), 30).join(), body, BINARY);
        } finally {
            crashing.stop();
        }
    }

    @Test
    void answersWaitersOfCorrelationsDeletedBehindTheServicesBack404WithinTheirWait() {
        List<CompletableFuture<Answer>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = (i % 2 == 0 ? a : b).created(uniqueId("deleted"), 60).id();
            waiters.add(a.result(id, 10));
            waiters.add(b.result(id, 10));
        }
        awaitWaiters(a, 3);
        awaitWaiters(b, 3);

        long deleted = redis.deleteKeys("rendezvous:c:*");
        long deletedAt = System.nanoTime();

        assertTrue(deleted >= 3, () -> "deleted " + deleted + " keys");
        List<Answer> answers = joinAll(waiters);
        answers.forEach(answer -> assertProblem(answer, 404));
        long slowest = answers.stream().mapToLong(Answer::receivedAt).max().orElseThrow() - deletedAt;
        Duration took = Duration.ofNanos(slowest);
        LOG.infof("deleted keys: slowest waiter answered 404 after %d ms", took.toMillis());
        assertTrue(took.compareTo(Duration.ofSeconds(9)) < 0, () -> "a waiter was answered after " + took);
    }

    /** A body per correlation, so that a waiter handed another correlation's result would show. */
    private static byte[] body(Created created) {
        return binaryBody("result of " + created.id());
    }

    /** How many replicas are subscribed to every bucket's channel (0 while any bucket has none). */
    private long subscribers() {
        List<?> channels = (List<?>) redis.command("PUBSUB", "SHARDCHANNELS", CHANNELS);
        if (channels.size() < BUCKETS) {
            return 0;
        }
        List<String> command = new ArrayList<>(List.of("PUBSUB", "SHARDNUMSUB"));
        channels.forEach(channel -> command.add((String) channel));
        List<?> reply = (List<?>) redis.command(command.toArray(String[]::new));
        long fewest = Long.MAX_VALUE;
        for (int i = 1; i < reply.size(); i += 2) {
            fewest = Math.min(fewest, (Long) reply.get(i));
        }
        return fewest;
    }

    private boolean answersPing() {
        try {
            return "PONG".equals(redis.command(Duration.ofMillis(500), "PING"));
        } catch (UncheckedIOException | RedisServer.ErrorReply down) {
            return false;
        }
    }
}
