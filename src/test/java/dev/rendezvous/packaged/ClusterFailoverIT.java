package dev.rendezvous.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.RedisCluster;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.Replica;
import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import dev.rendezvous.support.ReplicaClient.Created;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with {@code replica-acks=1} on a Redis Cluster of three primaries, each with two
 * replicas (so that one is left to acknowledge once the other is promoted), whose first primary is
 * killed (SIGKILL) while requests wait on correlations it holds: the cluster promotes a replica, the
 * service follows (commands and the subscription), no acknowledged result is lost, no answer is a
 * 500, and every waiter gets the result delivered for it.
 */
class ClusterFailoverIT {

    private static final Logger LOG = Logger.getLogger(ClusterFailoverIT.class);
    private static final String TEXT = "text/plain";
    private static final int CORRELATIONS = 90;

    private static RedisCluster cluster;
    private static final List<Replica> replicas = new ArrayList<>();
    private static ReplicaClient waits;
    private static ReplicaClient delivers;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(3, 2);
        for (int i = 0; i < 2; i++) {
            replicas.add(Replica.start(Map.of(
                    "rendezvous.store", "redis",
                    "quarkus.redis.client-type", "cluster",
                    "quarkus.redis.hosts", cluster.hosts(),
                    "rendezvous.redis.recheck-interval", "0.5S",
                    "rendezvous.redis.replica-acks", "1")));
        }
        waits = ReplicaClient.of("waits", replicas.get(0));
        delivers = ReplicaClient.of("delivers", replicas.get(1));
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Replica::stop);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void waitersHeldAcrossAPrimarysCrashGetTheirResultsAndServiceResumesSoonAfterThePromotion() {
        String run = "failover-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, Created> created = new TreeMap<>();
        for (int i = 0; i < CORRELATIONS; i++) {
            Created correlation = waits.created(run + i, 120);
            created.put(correlation.id(), correlation);
        }
        Map<String, CompletableFuture<Answer>> waiters = new HashMap<>();
        created.keySet().forEach(id -> waiters.put(id, waits.result(id, 60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiters() >= CORRELATIONS);

        RedisServer victim = cluster.primaries().get(0);
        List<RedisServer> heirs = cluster.replicasOf(victim);
        assertEquals(2, heirs.size(), "replicas of the victim");
        List<String> onVictim = created.keySet().stream()
                .filter(id -> ((List<?>) victim.command("KEYS", "rendezvous:c:*}" + id)).size() == 1)
                .toList();
        assertTrue(onVictim.size() > 10, () -> "only " + onVictim.size() + " correlations on the victim");
        List<String> before = onVictim.subList(0, onVictim.size() / 2);
        List<String> after = new ArrayList<>(created.keySet());
        after.removeAll(before);
        for (String id : before) {
            assertEquals(204, deliver(created.get(id)).status(), id);
        }

        victim.kill();
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> heirs.stream()
                        .anyMatch(heir -> "master".equals(String.valueOf(((List<?>) heir.command("ROLE")).get(0)))));
        long promotedAt = System.nanoTime();

        Map<Integer, Integer> refused = new TreeMap<>();
        long resumedAt = 0;
        for (String id : after) {
            for (Answer answer = deliver(created.get(id)); answer.status() != 204; answer = deliver(created.get(id))) {
                refused.merge(answer.status(), 1, Integer::sum);
                assertEquals(503, answer.status(), answer::toString);
            }
            if (resumedAt == 0 && onVictim.contains(id)) {
                resumedAt = System.nanoTime();
            }
        }

        int lost = 0;
        for (Map.Entry<String, CompletableFuture<Answer>> waiter : waiters.entrySet()) {
            Answer answer = waiter.getValue().join();
            if (answer.status() != 200 && before.contains(waiter.getKey())) {
                lost++;
            }
            assertEquals(200, answer.status(), () -> waiter.getKey() + ": " + answer);
            assertEquals(waiter.getKey(), answer.text());
        }
        for (String id : before) {
            Answer read = waits.result(id, 0).join();
            assertEquals(200, read.status(), () -> "acknowledged before the kill, now " + read);
        }
        double promotion = (promotedAt - killedAt) / 1e9;
        double resumed = (resumedAt - promotedAt) / 1e9;
        LOG.infof(
                "cluster failover: %d held waiters (%d on the killed primary); %d results acknowledged before"
                        + " the kill, %d lost; refused during the failover by status: %s; promotion %.1f s after"
                        + " the kill; first delivery on the promoted replica %.1f s after the promotion",
                CORRELATIONS, onVictim.size(), before.size(), lost, refused, promotion, resumed);
        assertTrue(resumed <= 5, () -> "deliveries resumed " + resumed + " s after the promotion");
    }

    private static Answer deliver(Created correlation) {
        return delivers.deliver(
                        correlation.id(), correlation.token(), correlation.id().getBytes(StandardCharsets.UTF_8), TEXT)
                .join();
    }
}
