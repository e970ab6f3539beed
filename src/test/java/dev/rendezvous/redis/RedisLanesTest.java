package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.RedisServer;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lanes against a real {@code redis-server}: a lane's connection that stopped answering is closed,
 * never handed back to the client's pool (where the next command given it would hang too); the mark
 * that makes the client close it leaves the connection's session as it was; and a Redis that refuses
 * the mark gets every command through the pool.
 */
class RedisLanesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int POOL_SIZE = 4;

    private RedisServer redis;
    private Vertx vertx;
    private Redis client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void closesALaneThatStoppedAnsweringRatherThanPoolIt() throws Exception {
        RedisLanes lanes = start("");
        Context loop = eventLoops(vertx, 1).get(0);
        long laneId = onLoop(loop, () -> lanes.send(Request.cmd(Command.CLIENT).arg("ID"), TIMEOUT))
                .toLong();
        assertEquals(
                laneId,
                onLoop(loop, () -> lanes.send(Request.cmd(Command.CLIENT).arg("ID"), TIMEOUT))
                        .toLong(),
                "one lane per event loop");

        redis.pause();
        try {
            ExecutionException frozen = assertThrows(
                    ExecutionException.class,
                    () -> onLoop(loop, () -> lanes.send(Request.cmd(Command.PING), Duration.ofMillis(300))));
            assertInstanceOf(TimeoutException.class, frozen.getCause());
        } finally {
            redis.resume();
        }

        // Pooled, the connection would answer again now that Redis does, and stay listed.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (clientList().contains("id=" + laneId + " ") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(
                clientList().contains("id=" + laneId + " "),
                () -> "the dropped lane's connection is still open:\n" + clientList());
        long next = onLoop(loop, () -> lanes.send(Request.cmd(Command.CLIENT).arg("ID"), TIMEOUT))
                .toLong();
        assertNotEquals(laneId, next, "a new lane, on a new connection");
        for (int i = 0; i < POOL_SIZE; i++) {
            long pooled = lanes.send(Request.cmd(Command.CLIENT).arg("ID"), TIMEOUT)
                    .await()
                    .atMost(TIMEOUT)
                    .toLong();
            assertNotEquals(laneId, pooled, "the pool hands out the dropped lane's connection");
        }
    }

    @Test
    void leavesTheLanesSessionAsTheClientOpenedIt() throws Exception {
        RedisLanes lanes = start("/3");
        Context loop = eventLoops(vertx, 1).get(0);

        assertEquals(
                "OK",
                onLoop(loop, () -> lanes.send(Request.cmd(Command.SET).arg("k").arg("lane"), TIMEOUT))
                        .toString());
        String info = onLoop(loop, () -> lanes.send(Request.cmd(Command.CLIENT).arg("INFO"), TIMEOUT))
                .toString();

        assertTrue(info.contains(" db=3 "), info);
        assertTrue(info.contains(" multi=-1 "), () -> "still in a transaction: " + info);
        assertEquals(
                "lane",
                client.send(Request.cmd(Command.GET).arg("k"))
                        .await()
                        .atMost(TIMEOUT)
                        .toString());
    }

    @Test
    void sendsEveryCommandThroughThePoolWhereRedisRefusesTheMark() throws Exception {
        RedisLanes lanes = start("");
        redis.command("ACL", "SETUSER", "default", "-select");
        List<Context> loops = eventLoops(vertx, 2);
        Context first = loops.get(0);

        for (int i = 0; i < 3; i++) {
            assertEquals(
                    "PONG",
                    onLoop(first, () -> lanes.send(Request.cmd(Command.PING), TIMEOUT))
                            .toString());
        }
        Context second = loops.get(1);
        assertEquals(
                "PONG",
                onLoop(second, () -> lanes.send(Request.cmd(Command.PING), TIMEOUT))
                        .toString());

        List<?> log = (List<?>) redis.command("ACL", "LOG");
        assertEquals(1, log.size(), () -> "one refused mark, then no lane: " + log);
        List<?> entry = (List<?>) log.get(0);
        assertEquals(1L, entry.get(entry.indexOf("count") + 1), () -> "one refused mark, then no lane: " + log);
    }

    /** Lanes on a client of {@link #POOL_SIZE}, on a fresh Redis; {@code database}: the URL's path. */
    private RedisLanes start(String database) {
        redis = RedisServer.start();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        client = Redis.createClient(
                vertx,
                new RedisOptions()
                        .setConnectionString(redis.url() + database)
                        .setMaxPoolSize(POOL_SIZE)
                        .setMaxPoolWaiting(100));
        return new RedisLanes(() -> client, vertx, POOL_SIZE, LaneMark.SESSION);
    }

    private String clientList() {
        return String.valueOf(redis.command("CLIENT", "LIST"));
    }

    /**
     * {@code count} contexts on distinct event loops (a verticle each: a thread outside Vert.x gets
     * one context however often it asks).
     */
    static List<Context> eventLoops(Vertx vertx, int count) throws Exception {
        List<Context> contexts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompletableFuture<Context> started = new CompletableFuture<>();
            vertx.getDelegate().deployVerticle(new AbstractVerticle() {
                @Override
                public void start() {
                    started.complete(context);
                }
            });
            contexts.add(started.get(10, TimeUnit.SECONDS));
        }
        return contexts;
    }

    /** Runs {@code command} on {@code loop}'s event loop, where lanes are used, and waits for its answer. */
    static Response onLoop(Context loop, Supplier<Uni<Response>> command) throws Exception {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        loop.runOnContext(ignored -> command.get().subscribe().with(answer::complete, answer::completeExceptionally));
        return answer.get(10, TimeUnit.SECONDS);
    }
}
