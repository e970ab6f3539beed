package dev.rendezvous.packaged;

import static dev.rendezvous.packaged.Answers.awaitWaiters;
import static dev.rendezvous.packaged.Answers.binaryBody;
import static dev.rendezvous.packaged.Answers.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.RedisReplicas;
import dev.rendezvous.support.Replica;
import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import dev.rendezvous.support.ReplicaClient.Created;
import dev.rendezvous.support.SentinelTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged service reach Redis through a Sentinel (a primary with two replicas),
 * and the primary is killed with {@code -9} while clients run exchanges against both replicas and
 * other clients wait (long-polls and event streams) across the fault. With {@code replica-acks=1}
 * no acknowledged result is lost, the held waiters get their results, no answer is a 5xx but a 503
 * with {@code Retry-After}, and exchanges succeed again within 5 s of the promotion. The same fault
 * without replica acknowledgements is measured and printed only.
 */
class SentinelFailoverIT {

    private static final Logger LOG = Logger.getLogger(SentinelFailoverIT.class);
    private static final long SEED = 22;
    private static final int CLIENTS = 8;
    private static final int HELD = 4;
    private static final Duration RESUME_WITHIN = Duration.ofSeconds(5);

    @Test
    void losesNoAcknowledgedResultAndResumesWithin5sOfThePromotionWithReplicaAcks() throws Exception {
        Figures figures = failover(1);

        assertTrue(figures.acknowledged() > 0, figures::toString);
        assertEquals(0, figures.lost(), figures::toString);
        assertEquals(0, figures.wrongBodies(), figures::toString);
        assertEquals(0, figures.statuses().getOrDefault(404, 0), () -> "a created correlation vanished: " + figures);
        assertEquals(
                List.of(),
                figures.statuses().keySet().stream()
                        .filter(status -> status >= 500 && status != 503)
                        .toList(),
                figures::toString);
        assertEquals(0, figures.without503RetryAfter(), figures::toString);
        assertEquals(0, figures.unreachable(), figures::toString);
        assertEquals(HELD * 3, figures.heldAnswered(), figures::toString);
        assertTrue(figures.resumedMs() <= RESUME_WITHIN.toMillis(), figures::toString);
    }

    /** Printed for comparison only: without acknowledgements from replicas, losses are possible. */
    @Test
    void measuresTheSameFailoverWithoutReplicaAcks() throws Exception {
        failover(0);
    }

    private Figures failover(int replicaAcks) throws Exception {
        try (SentinelTopology redis = SentinelTopology.start()) {
            List<Replica> replicas = RedisReplicas.start(redis.serviceConfig(replicaAcks), 2);
            try {
                return failover(
                        replicaAcks,
                        redis,
                        ReplicaClient.of("A", replicas.get(0)),
                        ReplicaClient.of("B", replicas.get(1)));
            } finally {
                // Each stop waits out the shutdown delay: in parallel, they take it once.
                replicas.parallelStream().forEach(Replica::stop);
            }
        }
    }

    private Figures failover(int replicaAcks, SentinelTopology redis, ReplicaClient a, ReplicaClient b)
            throws Exception {
        HeldWaiters held = HeldWaiters.on(a, b);
        FailoverTraffic traffic = new FailoverTraffic(a, b, SEED);
        traffic.start(CLIENTS);
        await().atMost(Duration.ofSeconds(20)).until(() -> traffic.completedCount() >= 40);

        int before = redis.primaryPort();
        long killedAt = System.nanoTime();
        redis.killPrimary();
        long promotedAt = redis.awaitPromotion(before, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> traffic.firstCompletedAfter(promotedAt).isPresent());
        long resumedAt = traffic.firstCompletedAfter(promotedAt).getAsLong();
        int resumedCount = traffic.completedCount();
        await().atMost(Duration.ofSeconds(20)).until(() -> traffic.completedCount() >= resumedCount + 30);
        traffic.stop();
        held.deliver(a);

        Figures figures = new Figures(
                replicaAcks,
                traffic.completedCount(),
                traffic.acknowledged().size(),
                lost(traffic.acknowledged(), a, b),
                traffic.wrongBodies(),
                traffic.statuses(),
                traffic.without503RetryAfter(),
                traffic.unreachable(),
                held.answered(),
                Duration.ofNanos(promotedAt - killedAt).toMillis(),
                Duration.ofNanos(resumedAt - promotedAt).toMillis());
        LOG.infof("Sentinel failover (seed %d): %s", SEED, figures);
        return figures;
    }

    /** How many acknowledged results cannot be read back (asked of either replica, again while 503). */
    private static int lost(Map<String, byte[]> acknowledged, ReplicaClient a, ReplicaClient b) {
        int lost = 0;
        int i = 0;
        for (Map.Entry<String, byte[]> result : acknowledged.entrySet()) {
            ReplicaClient reader = i++ % 2 == 0 ? a : b;
            Answer answer = reader.result(result.getKey(), 0).join();
            for (int attempt = 0; answer.status() == 503 && attempt < 50; attempt++) {
                answer = reader.result(result.getKey(), 0).join();
            }
            lost += answer.status() == 200 && Arrays.equals(result.getValue(), answer.body()) ? 0 : 1;
        }
        return lost;
    }

    /**
     * Correlations created before the fault, each waited on by a long-poll on both replicas and an
     * event stream on one, whose results are delivered only after the failover.
     */
    private static final class HeldWaiters {

        private final List<Created> held = new ArrayList<>();
        private final List<CompletableFuture<Answer>> longPolls = new ArrayList<>();
        private final List<CompletableFuture<Answer>> streams = new ArrayList<>();

        /** Returns once both replicas hold every waiter. */
        static HeldWaiters on(ReplicaClient a, ReplicaClient b) {
            HeldWaiters waiters = new HeldWaiters();
            for (int i = 0; i < HELD; i++) {
                ReplicaClient creator = i % 2 == 0 ? a : b;
                Created created = creator.created(uniqueId("held"), 120);
                waiters.held.add(created);
                waiters.longPolls.add(a.result(created.id(), 40));
                waiters.longPolls.add(b.result(created.id(), 40));
                waiters.streams.add(creator.events(created.id(), Duration.ofSeconds(60)));
            }
            awaitWaiters(a, HELD + HELD / 2);
            awaitWaiters(b, HELD + HELD / 2);
            return waiters;
        }

        /** Delivers every result, again while it is answered 503, until it is stored. */
        void deliver(ReplicaClient worker) {
            for (Created created : held) {
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> worker.deliver(created.id(), created.token(), body(created), FailoverTraffic.TYPE)
                                        .join()
                                        .status()
                                == 204);
            }
        }

        /** How many waiters got their result: a long-poll its body, a stream a last {@code completed} event. */
        int answered() {
            int answered = 0;
            for (int i = 0; i < longPolls.size(); i++) {
                Answer answer = longPolls.get(i).join();
                answered += answer.status() == 200 && Arrays.equals(body(held.get(i / 2)), answer.body()) ? 1 : 0;
            }
            for (CompletableFuture<Answer> stream : streams) {
                Answer answer = stream.join();
                answered += answer.status() == 200 && endsCompleted(answer.text()) ? 1 : 0;
            }
            return answered;
        }

        private static boolean endsCompleted(String stream) {
            return stream.lines()
                    .anyMatch(line -> line.startsWith("event:")
                            && line.substring("event:".length()).strip().equals("completed"));
        }

        private static byte[] body(Created created) {
            return binaryBody("held across the failover: " + created.id());
        }
    }

    /** What one failover run measured, for the log and the assertions. */
    record Figures(
            int replicaAcks,
            int exchanges,
            int acknowledged,
            int lost,
            int wrongBodies,
            Map<Integer, Integer> statuses,
            int without503RetryAfter,
            int unreachable,
            int heldAnswered,
            long promotedMs,
            long resumedMs) {

        @Override
        public String toString() {
            return "replica-acks=" + replicaAcks + ": " + exchanges + " full exchanges, " + acknowledged
                    + " results acknowledged, " + lost + " lost, " + wrongBodies + " wrong bodies; answers by status "
                    + statuses + " (" + without503RetryAfter + " 503s without Retry-After, " + unreachable
                    + " unanswered); held waiters answered " + heldAnswered + " of " + HELD * 3
                    + "; promotion " + promotedMs + " ms after the kill, first full exchange begun after it "
                    + resumedMs + " ms after the promotion";
        }
    }
}
