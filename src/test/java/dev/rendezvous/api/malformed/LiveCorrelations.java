package dev.rendezvous.api.malformed;

import static dev.rendezvous.support.Api.createCompleted;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.heldRead;
import static dev.rendezvous.support.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rendezvous.support.Api;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/**
 * The correlations the barrage must leave as they were: pending ones with long-polls held on them,
 * completed ones with a worker's bytes, and victims, fresh correlations whose real token or stored
 * result an ambiguous request might wrongly act on.
 */
final class LiveCorrelations {

    private static final int PENDING = 3;
    private static final int WAITERS_EACH = 2;
    private static final int COMPLETED = 3;

    final List<String> pendingIds = new ArrayList<>();
    final Map<String, String> pendingTokens = new LinkedHashMap<>();
    private final Map<String, String> expiresAt = new LinkedHashMap<>();
    final Map<String, byte[]> completedBodies = new LinkedHashMap<>();
    private final Map<String, String> completedTypes = new LinkedHashMap<>();
    private final List<String> pendingVictims = new ArrayList<>();
    private final List<String> completedVictims = new ArrayList<>();
    private final List<CompletableFuture<Response>> held = new ArrayList<>();
    private int holding;

    /** Creates the correlations, the completed ones with bytes drawn from {@code random}. */
    static LiveCorrelations create(Random random) {
        LiveCorrelations live = new LiveCorrelations();
        for (int i = 0; i < PENDING; i++) {
            String id = uniqueId("fuzz-pending");
            JsonPath created = Api.create(id, 600);
            live.pendingIds.add(id);
            live.pendingTokens.put(id, created.getString("callbackToken"));
            live.expiresAt.put(id, created.getString("expiresAt"));
            for (int w = 0; w < WAITERS_EACH; w++) {
                live.held.add(heldRead(LiveCorrelations::waiting, () -> Api.result(id, "wait=120")));
            }
        }
        for (int i = 0; i < COMPLETED; i++) {
            String id = uniqueId("fuzz-done");
            byte[] body = new byte[1 + random.nextInt(64)];
            random.nextBytes(body);
            String type = i % 2 == 0 ? "application/octet-stream" : "application/x-fuzz; v=" + i;
            String token = Api.create(id, 600).getString("callbackToken");
            deliver(id, token, type, body).then().statusCode(204);
            live.completedBodies.put(id, body);
            live.completedTypes.put(id, type);
        }
        live.holding = waiting();
        return live;
    }

    /** Requests the instance holds, from its readiness data: the same in process and in a packaged jar. */
    private static int waiting() {
        return RestAssured.given()
                .get("/q/health/ready")
                .path("checks.find { it.name == 'correlation-store' }.data.waiters");
    }

    /** A pending correlation of its own for one ambiguous request; returns its real token. */
    String victim(String id) {
        String token = Api.create(id, 600).getString("callbackToken");
        pendingVictims.add(id);
        return token;
    }

    /** A completed correlation of its own for one ambiguous request; returns its ID. */
    String completedVictim() {
        String id = uniqueId("fuzz-victim-done");
        createCompleted(id, "kept");
        completedVictims.add(id);
        return id;
    }

    /**
     * The checks that nothing changed: no waiter answered or left behind, every correlation as it
     * was; last, the held waiters get what is delivered now, each exactly once.
     */
    List<Executable> untouched() {
        List<Executable> checks = new ArrayList<>();
        // Requests that waited by mistake (a duplicated wait, say) end on their own; none may linger.
        checks.add(() -> await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == holding));
        checks.add(() -> assertFalse(
                held.stream().anyMatch(CompletableFuture::isDone), "a held waiter was answered by the barrage"));
        for (String id : pendingIds) {
            checks.add(() -> Api.status(id)
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("pending"))
                    .body("expiresAt", equalTo(expiresAt.get(id))));
        }
        for (String id : completedBodies.keySet()) {
            checks.add(() -> Api.assertCompletedWith(id, completedTypes.get(id), completedBodies.get(id)));
        }
        for (String id : pendingVictims) {
            checks.add(() -> Api.status(id).then().statusCode(200).body("state", equalTo("pending")));
        }
        for (String id : completedVictims) {
            checks.add(() -> Api.result(id).then().statusCode(200).body(equalTo("kept")));
        }
        checks.add(() -> {
            Map<String, byte[]> delivered = new LinkedHashMap<>();
            for (String id : pendingIds) {
                byte[] body = ("result of " + id).getBytes(StandardCharsets.UTF_8);
                deliver(id, pendingTokens.get(id), "text/plain", body).then().statusCode(204);
                delivered.put(id, body);
            }
            for (int i = 0; i < held.size(); i++) {
                Response read = held.get(i).orTimeout(10, TimeUnit.SECONDS).join();
                read.then().statusCode(200);
                assertThat(read.asByteArray(), equalTo(delivered.get(pendingIds.get(i / WAITERS_EACH))));
            }
        });
        return checks;
    }
}
