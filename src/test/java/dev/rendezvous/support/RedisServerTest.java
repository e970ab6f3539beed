package dev.rendezvous.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the Redis helper the Redis-mode tests rely on: a broken helper would fail them for the wrong reason. */
class RedisServerTest {

    @Test
    void setsAndGetsOnItsOwnPort() {
        try (RedisServer redis = RedisServer.start()) {
            assertNotEquals(6379, redis.port());
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
            assertEquals("OK", redis.command("SET", "greeting", "héllo"));
            assertEquals("héllo", redis.command("GET", "greeting"));
            assertNull(redis.command("GET", "missing"));
            assertEquals(1L, redis.command("INCR", "counter"));
            assertEquals(List.of("héllo", "1"), redis.command("MGET", "greeting", "counter"));
            assertThrows(RedisServer.ErrorReply.class, () -> redis.command("INCR", "greeting"));
            assertEquals("no", ((List<?>) redis.command("CONFIG", "GET", "appendonly")).get(1));
        }
    }

    @Test
    void keepsWritesAcrossAKillWhenTheAppendOnlyFileIsOn() {
        try (RedisServer redis = RedisServer.startWithAof()) {
            int port = redis.port();
            redis.command("SET", "survivor", "still here");

            redis.kill();
            assertThrows(UncheckedIOException.class, () -> redis.command("PING"));
            redis.restart();

            assertEquals(port, redis.port());
            assertEquals("still here", redis.command("GET", "survivor"));
        }
    }

    @Test
    void losesWritesAcrossAKillWithoutTheAppendOnlyFile() {
        try (RedisServer redis = RedisServer.start()) {
            redis.command("SET", "ephemeral", "gone soon");
            redis.kill();
            redis.restart();
            assertNull(redis.command("GET", "ephemeral"));
        }
    }

    @Test
    void answersNothingWhilePausedAndRecoversOnResume() {
        try (RedisServer redis = RedisServer.start()) {
            redis.pause();
            assertThrows(UncheckedIOException.class, () -> redis.command(Duration.ofMillis(500), "PING"));
            redis.resume();
            assertEquals("PONG", redis.command("PING"));
        }
    }

    @Test
    void cutsOffSubscribers() throws IOException {
        try (RedisServer redis = RedisServer.start();
                Socket subscriber = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
            subscriber.setSoTimeout(5_000);
            subscriber.getOutputStream().write(Resp.encode("SUBSCRIBE", "wake-up"));
            InputStream in = new BufferedInputStream(subscriber.getInputStream());
            assertEquals(List.of("subscribe", "wake-up", 1L), Resp.read(in));

            assertEquals(1L, redis.killPubSubClients());

            assertEquals(-1, in.read(), "the subscriber's connection is closed");
            assertEquals(0L, redis.killPubSubClients());
        }
    }

    @Test
    void deletesOnlyTheKeysMatchingAPattern() {
        try (RedisServer redis = RedisServer.start()) {
            for (int i = 0; i < 2_500; i++) {
                redis.command("SET", "rendezvous:c:" + i, "x");
            }
            redis.command("SET", "other:c:1", "kept");

            assertEquals(2_500L, redis.deleteKeys("rendezvous:*"));

            assertEquals(1L, redis.command("DBSIZE"));
            assertEquals("kept", redis.command("GET", "other:c:1"));
            assertEquals(0L, redis.deleteKeys("rendezvous:*"));
        }
    }

    @Test
    void stopEndsTheProcessEvenWhilePaused() {
        RedisServer redis = RedisServer.start();
        long pid = redis.pid();
        redis.pause();
        redis.stop();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        redis.stop();
        assertTrue(redis.log().isEmpty(), "the directory, log included, is gone");
    }
}
