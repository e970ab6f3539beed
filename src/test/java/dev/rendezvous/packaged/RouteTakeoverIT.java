package dev.rendezvous.packaged;

import static dev.rendezvous.packaged.Answers.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.PushWorker;
import dev.rendezvous.support.PushWorker.Dispatch;
import dev.rendezvous.support.RedisReplicas;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.Replica;
import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A push job outlives the replica that dispatched it: two replicas of the packaged application on
 * one Redis; the first takes the submission and is killed while its dispatch is in flight; once the
 * dispatch's lease runs out the second dispatches the job again, and the worker's result reaches the
 * client waiting on the second.
 */
class RouteTakeoverIT {

    private RedisServer redis;
    private PushWorker worker;
    private Replica first;
    private Replica second;

    @AfterEach
    void stopEverything() {
        for (Replica replica : new Replica[] {first, second}) {
            if (replica != null) {
                replica.stop();
            }
        }
        if (worker != null) {
            worker.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void aJobWhoseDispatchingReplicaIsKilledMidDispatchStillCompletesThroughAnotherReplica() {
        redis = RedisServer.start();
        worker = PushWorker.start();
        Map<String, String> config = new HashMap<>(RedisReplicas.config(redis));
        config.put("rendezvous.routes.convert.url", worker.url("/hold-first"));
        config.put("rendezvous.routes.convert.secret", PushWorker.SECRET);
        config.put("rendezvous.routes.convert.request-timeout", "1S");
        config.put("rendezvous.prune-interval", "0.5S");
        first = Replica.start(config);
        String id = uniqueId("takeover");
        byte[] job = "convert me".getBytes(StandardCharsets.UTF_8);

        Answer submitted = ReplicaClient.of("A", first)
                .submit("convert", id, job, "text/plain")
                .join();
        assertEquals(202, submitted.status(), submitted::toString);
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.dispatches(id).size() == 1);
        second = Replica.start(config);
        ReplicaClient b = ReplicaClient.of("B", second);
        worker.deliverVia(second.baseUri());
        first.kill9();

        Answer result = b.result(id, 60).join();

        assertEquals(200, result.status(), result::toString);
        assertEquals("done:convert me", result.text());
        List<Dispatch> dispatches = worker.dispatches(id);
        assertEquals(2, dispatches.size());
        assertEquals(id + "/2", dispatches.get(1).header("webhook-id"));
        assertTrue(dispatches.stream().allMatch(Dispatch::signed), "every dispatch is signed");
    }
}
