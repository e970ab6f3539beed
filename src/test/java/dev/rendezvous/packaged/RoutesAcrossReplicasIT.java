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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routes with two replicas of the packaged application on one Redis: a pull worker waiting on one
 * replica gets the job submitted to the other at once, and a push job outlives the replica that
 * dispatched it.
 */
class RoutesAcrossReplicasIT {

    private static final Logger LOG = Logger.getLogger(RoutesAcrossReplicasIT.class);

    private static final String WORKER_KEY = "worker-key-for-both-replicas";
    private static final Duration DISPATCH_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RedisServer redis;
    private PushWorker worker;
    private Replica first;
    private Replica second;

    private static CompletableFuture<HttpResponse<byte[]>> send(HttpRequest.Builder request) {
        return HTTP.sendAsync(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Pull workers waiting on the replica, as its metrics show them. */
    private static int waitingWorkers(Replica replica) {
        String metrics = new String(
                send(HttpRequest.newBuilder(replica.baseUri().resolve("q/metrics"))
                                .GET())
                        .join()
                        .body(),
                StandardCharsets.UTF_8);
        for (String line : metrics.split("\n")) {
            if (line.startsWith("rendezvous_waiting{kind=\"pull\"}")) {
                return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

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
    void aPullWorkerWaitingOnOneReplicaTakesTheJobSubmittedToTheOtherAndAnswersItsSubmitter() {
        redis = RedisServer.start();
        Map<String, String> config = new HashMap<>(RedisReplicas.config(redis));
        config.put("rendezvous.routes.render.mode", "pull");
        config.put("rendezvous.routes.render.worker-keys", WORKER_KEY);
        first = Replica.start(config);
        second = Replica.start(config);
        List<Long> handOverMicros = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            handOverMicros.add(handOverOneJob("render me " + round));
        }
        LOG.infof(
                "each job submitted to one replica reached the worker waiting on the"
                        + " other after (µs, the first on cold replicas) %s",
                handOverMicros);
    }

    /** One job through both replicas; returns the µs from its submission to the worker's receipt. */
    private long handOverOneJob(String text) {
        CompletableFuture<HttpResponse<byte[]>> worker =
                send(HttpRequest.newBuilder(second.baseUri().resolve("v1/routes/render/jobs?wait=30"))
                        .header("Authorization", "Bearer " + WORKER_KEY)
                        .GET());
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingWorkers(second) == 1);
        long submitted = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> submitter =
                send(HttpRequest.newBuilder(first.baseUri().resolve("v1/routes/render/correlations"))
                        .header("Prefer", "wait=30")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(text)));

        HttpResponse<byte[]> job = worker.join();
        long handedOver = System.nanoTime();
        assertEquals(200, job.statusCode());
        assertEquals(text, new String(job.body(), StandardCharsets.UTF_8));
        String callback = job.headers().firstValue("Rendezvous-Callback-Url").orElseThrow();
        HttpResponse<byte[]> delivered = send(HttpRequest.newBuilder(URI.create(callback))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("rendered " + text)))
                .join();
        assertEquals(204, delivered.statusCode());

        HttpResponse<byte[]> answer = submitter.join();
        assertEquals(200, answer.statusCode());
        assertEquals("rendered " + text, new String(answer.body(), StandardCharsets.UTF_8));
        assertEquals(
                job.headers().firstValue("Rendezvous-Correlation-Id"),
                answer.headers().firstValue("Rendezvous-Correlation-Id"));
        return (handedOver - submitted) / 1000;
    }

    @Test
    void aJobWhoseDispatchingReplicaIsKilledMidDispatchStillCompletesThroughAnotherReplica() {
        redis = RedisServer.start();
        worker = PushWorker.start();
        Map<String, String> config = new HashMap<>(RedisReplicas.config(redis));
        config.put("rendezvous.routes.convert.url", worker.url("/hold-first"));
        config.put("rendezvous.routes.convert.secret", PushWorker.SECRET);
        // Longer than the second replica takes to start: the first must die with its first dispatch
        // still held, not after retrying it on its own (a shorter timeout made this test pass that way).
        config.put("rendezvous.routes.convert.request-timeout", DISPATCH_TIMEOUT.toSeconds() + "S");
        config.put("rendezvous.prune-interval", "1S");
        first = Replica.start(config);
        String id = uniqueId("takeover");
        byte[] job = "convert me".getBytes(StandardCharsets.UTF_8);

        Answer submitted = ReplicaClient.of("A", first)
                .submit("convert", id, job, "text/plain")
                .join();
        assertEquals(202, submitted.status(), submitted::toString);
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.dispatches(id).size() == 1);
        long firstDispatch = worker.dispatches(id).get(0).receivedAt();
        second = Replica.start(config);
        ReplicaClient b = ReplicaClient.of("B", second);
        worker.deliverVia(second.baseUri());
        first.kill9();
        long killed = System.nanoTime();
        assertTrue(
                killed - firstDispatch < DISPATCH_TIMEOUT.toNanos(),
                "the first replica lived past its dispatch's timeout: the second replica started too slowly");

        Answer result = b.result(id, 60).join();

        assertEquals(200, result.status(), () -> result + "; dispatches " + worker.dispatches(id));
        assertEquals("done:convert me", result.text());
        List<Dispatch> dispatches = worker.dispatches(id);
        assertEquals(2, dispatches.size());
        assertTrue(dispatches.get(1).receivedAt() > killed, "the job was dispatched again after its replica died");
        assertEquals(id + "/2", dispatches.get(1).header("webhook-id"));
        assertTrue(dispatches.stream().allMatch(Dispatch::signed), "every dispatch is signed");
    }
}
