package dev.rendezvous.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.support.AotCache;
import dev.rendezvous.support.JvmRuntime;
import dev.rendezvous.support.Replica;
import dev.rendezvous.support.ReplicaClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The image's AOT cache, made as its build makes it (docker/aot-train.sh with the training traffic of
 * {@code AotTraining}) on the image's Java, and a service that must use it ({@code -XX:AOTMode=on}
 * refuses to start otherwise) answering an exchange. Prints the time to ready with and without it.
 */
class AotCacheIT {

    @Test
    void serviceStartsOnTheCacheItsTrainingRunMadeAndAnswersAnExchange() {
        Optional<JvmRuntime> shipped = JvmRuntime.shipped();
        assumeTrue(shipped.isPresent(), "no Java " + JvmRuntime.shippedFeature() + " under /usr/lib/jvm");
        // Every answer the training got was one the contract promises, or the training would have failed.
        JvmRuntime cached = AotCache.train(shipped.get(), 2_000).withOptions(List.of("-XX:AOTMode=on"));

        long withoutStart = System.nanoTime();
        Replica.start(Map.of(), shipped.get()).close();
        long without = System.nanoTime() - withoutStart;
        long withStart = System.nanoTime();
        try (Replica replica = Replica.start(Map.of(), cached)) {
            long with = System.nanoTime() - withStart;
            System.out.printf("AOT cache: ready in %.2f s with it, %.2f s without%n", with / 1e9, without / 1e9);

            ReplicaClient client = ReplicaClient.of("cached", replica);
            ReplicaClient.Created created = client.created("aot-1", 60);
            CompletableFuture<ReplicaClient.Answer> waiting = client.result(created.id(), 30);
            byte[] body = "{\"pages\": 3}".getBytes(StandardCharsets.UTF_8);
            assertEquals(
                    204,
                    client.deliver(created.id(), created.token(), body, "application/json")
                            .join()
                            .status());
            ReplicaClient.Answer answer = waiting.join();
            assertEquals(200, answer.status());
            assertEquals("{\"pages\": 3}", new String(answer.body(), StandardCharsets.UTF_8));
        }
    }
}
