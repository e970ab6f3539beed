package dev.rendezvous.edge;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.RawHttp;
import dev.rendezvous.support.ShortDeadlinesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deadlines for clients that are not waiting for an answer, over raw sockets: heads that never
 * complete get a 408 problem within header-timeout, idle keep-alive connections are closed after
 * keep-alive-timeout, and a held long-poll or event stream outlives both.
 */
@QuarkusTest
@TestProfile(ShortDeadlinesProfile.class)
class ConnectionDeadlinesTest {

    private static final long SEED = 20_261_207L;
    private static final Duration HEADER = Duration.ofSeconds(ShortDeadlinesProfile.HEADER_SECONDS);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(ShortDeadlinesProfile.KEEP_ALIVE_SECONDS);
    /** The sweep checks deadlines every 250 ms; the rest is room for a machine busy with other builds. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private static final int DRIBBLERS = 200;

    @Inject
    WaiterRegistry waiters;

    @Test
    void closesTwoHundredDribblingConnectionsWithA408WhileAFiveMinuteLongPollIsHeld() throws Exception {
        String id = "edge-" + UUID.randomUUID();
        String token = create(id);
        int before = waiters.waiting();
        long heldSince = System.nanoTime();
        CompletableFuture<Response> held =
                CompletableFuture.supplyAsync(() -> given().get("/v1/correlations/" + id + "/result?wait=300"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == before + 1);

        List<RawHttp.Closed> closed = dribble(DRIBBLERS);

        String closes = String.format(
                "%d dribbling connections closed %d-%d ms after they opened",
                closed.size(),
                closed.stream().mapToLong(each -> each.after().toMillis()).min().orElse(-1),
                closed.stream().mapToLong(each -> each.after().toMillis()).max().orElse(-1));
        for (RawHttp.Closed connection : closed) {
            connection.assertProblem(408);
            assertThat(closes, connection.after(), lessThanOrEqualTo(HEADER.plus(SLACK)));
            assertThat(closes, connection.after(), greaterThanOrEqualTo(HEADER.minusMillis(100)));
        }
        // The long-poll outlives both deadlines untouched, and is answered when the result comes.
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        System.nanoTime() - heldSince > KEEP_ALIVE.plus(SLACK).toNanos());
        assertFalse(held.isDone(), "the held long-poll was answered early");
        given().contentType("text/plain")
                .body("after the dribblers")
                .post("/v1/correlations/" + id + "/result?token=" + token)
                .then()
                .statusCode(204);
        Response answer = held.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode(), equalTo(200));
        assertThat(answer.asString(), equalTo("after the dribblers"));
    }

    @Test
    void answersGarbageAtOnceAndAGarbageHeadThatNeverEndsWithin408() throws Exception {
        Random random = new Random(SEED);
        List<RawHttp> unterminated = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                try (RawHttp connection = RawHttp.connect()) {
                    RawHttp.Closed answer =
                            connection.send(garbage(random)).send("\r\n\r\n").readUntilClosed();
                    assertAll(
                            "garbage " + i + " of seed " + SEED + ", answered " + answer.text(),
                            () -> assertThat(answer.status(), greaterThanOrEqualTo(400)),
                            () -> answer.assertProblem(answer.status()),
                            () -> assertThat(answer.after(), lessThanOrEqualTo(SLACK)));
                }
                // Without a line break the codec waits for more: only the deadline ends it.
                byte[] line = garbage(random);
                for (int b = 0; b < line.length; b++) {
                    line[b] = line[b] == '\n' || line[b] == '\r' ? (byte) 'x' : line[b];
                }
                unterminated.add(RawHttp.connect().send(line));
            }
            for (int i = 0; i < unterminated.size(); i++) {
                RawHttp.Closed answer = unterminated.get(i).readUntilClosed();
                assertAll(
                        "unterminated garbage " + i + " of seed " + SEED + ", answered " + answer.text(),
                        () -> answer.assertProblem(408),
                        () -> assertThat(answer.after(), lessThanOrEqualTo(HEADER.plus(SLACK))));
            }
        } finally {
            for (RawHttp connection : unterminated) {
                connection.close();
            }
        }
    }

    private static byte[] garbage(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(2048)];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void closesAKeepAliveConnectionIdleForKeepAliveTimeout() throws Exception {
        try (RawHttp connection = RawHttp.connect()) {
            connection.send("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String head = connection.readHead();
            assertThat(head, containsString("200"));
            long answeredAt = System.nanoTime();
            connection.input().readNBytes(contentLength(head));
            RawHttp.Closed closed = connection.readUntilClosed();
            Duration idle = Duration.ofNanos(System.nanoTime() - answeredAt);
            assertThat(closed.text(), equalTo(""));
            assertThat(idle, greaterThanOrEqualTo(KEEP_ALIVE.minusMillis(100)));
            assertThat(idle, lessThanOrEqualTo(KEEP_ALIVE.plus(SLACK)));
        }
    }

    @Test
    void givesTheNextHeadOnAKeepAliveConnectionHeaderTimeoutFromItsFirstByte() throws Exception {
        try (RawHttp connection = RawHttp.connect()) {
            connection.send("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String head = connection.readHead();
            connection.input().readNBytes(contentLength(head));
            long firstByteAt = System.nanoTime();
            RawHttp.Closed closed = connection.send("GET /q/hea").readUntilClosed();
            closed.assertProblem(408);
            assertThat(Duration.ofNanos(System.nanoTime() - firstByteAt), lessThanOrEqualTo(HEADER.plus(SLACK)));
        }
    }

    @Test
    void keepsAnEventStreamOpenPastBothDeadlinesUntilItsLastEvent() throws Exception {
        String id = "edge-" + UUID.randomUUID();
        create(id);
        try (RawHttp connection = RawHttp.connect()) {
            connection.send("GET /v1/correlations/" + id + "/events HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n");
            BufferedReader stream =
                    new BufferedReader(new InputStreamReader(connection.input(), StandardCharsets.UTF_8));
            long keepAlives = 0;
            while (System.nanoTime() - connection.openedAt()
                    < KEEP_ALIVE.plus(HEADER).toNanos()) {
                String line = stream.readLine();
                assertThat("the stream ended early", line != null, is(true));
                keepAlives += line.startsWith(":") ? 1 : 0;
            }
            assertThat(keepAlives, greaterThanOrEqualTo(3L));
            given().delete("/v1/correlations/" + id).then().statusCode(204);
            List<String> rest = stream.lines().toList();
            assertThat(String.join("\n", rest), containsString("event:cancelled"));
        }
    }

    /** Creates a correlation and returns its callback token. */
    private static String create(String id) {
        return given().contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"ttl\":600}")
                .post("/v1/correlations")
                .then()
                .statusCode(201)
                .extract()
                .path("callbackToken");
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }

    /** Opens connections that send one byte of a head that never ends every 250 ms, until each is closed. */
    private static List<RawHttp.Closed> dribble(int count) throws Exception {
        byte[] head = ("GET /v1/correlations/slow HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(200))
                .getBytes(StandardCharsets.US_ASCII);
        List<RawHttp> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            connections.add(RawHttp.connect());
        }
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService readers = Executors.newFixedThreadPool(count);
        try {
            int[] position = {0};
            writer.scheduleAtFixedRate(
                    () -> {
                        byte[] next = {head[position[0]++ % head.length]};
                        for (RawHttp connection : connections) {
                            try {
                                connection.send(next);
                            } catch (IOException closedByTheService) {
                                // Expected once its deadline passed.
                            }
                        }
                    },
                    0,
                    250,
                    TimeUnit.MILLISECONDS);
            List<CompletableFuture<RawHttp.Closed>> closed = new ArrayList<>();
            for (RawHttp connection : connections) {
                closed.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return connection.readUntilClosed();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        readers));
            }
            List<RawHttp.Closed> answers = new ArrayList<>();
            for (CompletableFuture<RawHttp.Closed> each : closed) {
                answers.add(each.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            writer.shutdownNow();
            readers.shutdownNow();
            for (RawHttp connection : connections) {
                connection.close();
            }
        }
    }
}
