package dev.rendezvous.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.rendezvous.correlation.service.WaiterRegistry;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Shared steps of the HTTP tests: every test talks to the one running application. */
final class Api {

    static final String PROBLEM = "application/problem+json";
    static final String BASE = "/v1/correlations";

    /** RestAssured would otherwise append a charset to the worker's Content-Type and change its bytes. */
    private static final RestAssuredConfig VERBATIM = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-waiter");
        thread.setDaemon(true);
        return thread;
    });

    private Api() {}

    static RequestSpecification given() {
        return RestAssured.given().config(VERBATIM);
    }

    /** An ID no other test uses, so tests can share the running application. */
    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A pending correlation created with the given ID; returns the create answer's JSON. */
    static JsonPath create(String id) {
        return create(Map.of("id", id));
    }

    static JsonPath create(String id, long ttl) {
        return create(Map.of("id", id, "ttl", ttl));
    }

    static JsonPath create(Map<String, Object> body) {
        return postCorrelation(body).then().statusCode(201).extract().jsonPath();
    }

    /** The create request as it is, for answers other than 201. */
    static Response postCorrelation(Object jsonBody) {
        return given().contentType("application/json").body(jsonBody).when().post(BASE);
    }

    /** A correlation created with the given ID and already completed with a text result. */
    static void createCompleted(String id, String text) {
        deliver(id, create(id).getString("callbackToken"), text).then().statusCode(204);
    }

    /** A correlation created with the given ID and already failed with the given report. */
    static void createFailed(String id, String report) {
        fail(id, create(id).getString("callbackToken"), report).then().statusCode(204);
    }

    static String url(String id) {
        return BASE + "/" + id;
    }

    static String resultUrl(String id) {
        return url(id) + "/result";
    }

    static String failureUrl(String id) {
        return url(id) + "/failure";
    }

    static String heartbeatUrl(String id) {
        return url(id) + "/heartbeat";
    }

    static Response deliver(String id, String token, String contentType, byte[] body) {
        return given().header("Authorization", "Bearer " + token)
                .contentType(contentType)
                .body(body)
                .when()
                .post(resultUrl(id));
    }

    static Response deliver(String id, String token, String text) {
        return deliver(id, token, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    static Response fail(String id, String token, String json) {
        return postJson(failureUrl(id), token, json);
    }

    static Response heartbeat(String id, String token, String json) {
        return postJson(heartbeatUrl(id), token, json);
    }

    private static Response postJson(String url, String token, String json) {
        return given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(json)
                .when()
                .post(url);
    }

    static Response status(String id) {
        return given().when().get(url(id));
    }

    static String state(String id) {
        return status(id).then().statusCode(200).extract().path("state");
    }

    static Response result(String id) {
        return given().when().get(resultUrl(id));
    }

    /** Reads the result with a query string sent as it is, such as {@code "wait=60&consume=true"}. */
    static Response result(String id, String query) {
        return given().urlEncodingEnabled(false).when().get(resultUrl(id) + "?" + query);
    }

    /** Runs a request on another thread, for long-polls that must be woken while the test goes on. */
    static CompletableFuture<Response> inBackground(Supplier<Response> request) {
        return CompletableFuture.supplyAsync(request, BACKGROUND);
    }

    /** Starts a long-poll in the background and returns once the service holds it. */
    static CompletableFuture<Response> heldRead(WaiterRegistry waiters, Supplier<Response> request) {
        return heldRead(waiters::waiting, request);
    }

    /** As above, with the count of held requests read by {@code waiting}. */
    static CompletableFuture<Response> heldRead(IntSupplier waiting, Supplier<Response> request) {
        int before = waiting.getAsInt();
        CompletableFuture<Response> read = inBackground(request);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getAsInt() == before + 1);
        return read;
    }

    /** Waits for the clock only, until well past the created correlation's TTL; the prune job runs meanwhile. */
    static void awaitPastTtl(JsonPath created) {
        Instant ttlEnd = Instant.parse(created.getString("expiresAt"));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(ttlEnd.plusMillis(600)));
    }

    static Duration between(String from, String to) {
        return Duration.between(Instant.parse(from), Instant.parse(to));
    }

    /**
     * Checks an RFC 9457 problem: media type, every member, and that nothing internal leaks. A null
     * {@code instance} only needs to be present.
     */
    static void assertProblem(Response response, int status, String instance) {
        assertThat(response.statusCode(), equalTo(status));
        assertThat(response.contentType(), containsString(PROBLEM));
        String body = response.asString();
        JsonPath problem = JsonPath.from(body);
        assertThat(problem.getString("type"), notNullValue());
        assertThat(problem.getString("title"), notNullValue());
        assertThat(problem.getInt("status"), equalTo(status));
        assertThat(problem.getString("detail"), notNullValue());
        assertThat(problem.getString("instance"), instance != null ? equalTo(instance) : notNullValue());
        assertNoInternals(body);
    }

    static void assertCompletedWith(String id, String contentType, byte[] body) {
        Response result = result(id);
        result.then().statusCode(200).header("Content-Type", contentType);
        assertThat(result.asByteArray(), equalTo(body));
    }

    /** Checks the failed correlation's result problem and its title; returns it for further checks. */
    static Response assertFailedWith(String id, int status, String title) {
        Response result = result(id);
        assertProblem(result, status, resultUrl(id));
        result.then().body("title", equalTo(title));
        return result;
    }

    static void assertStillPending(String id) {
        result(id).then().statusCode(202).body("state", equalTo("pending"));
    }

    static void assertNoInternals(String body) {
        assertThat(body, not(containsString("java.")));
        assertThat(body, not(containsString("Exception")));
        assertThat(body, not(containsString("dev.rendezvous")));
        assertThat(body, not(containsString("\tat ")));
    }

    /**
     * Sends bytes as they are, for requests an HTTP client library would not send, and reads one
     * answer by its Content-Length (the server need not read the rest of a refused body first).
     */
    static RawAnswer raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int headEnd = -1;
            int bodyLength = -1;
            int next;
            while ((next = in.read()) != -1) {
                received.write(next);
                String text = received.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                    headEnd = text.length();
                    bodyLength = RawAnswer.parse(text).contentLength();
                }
                if (headEnd >= 0 && received.size() - headEnd >= bodyLength) {
                    break;
                }
            }
            return RawAnswer.parse(received.toString(StandardCharsets.ISO_8859_1));
        }
    }

    /** A raw HTTP/1.1 answer read until the server closed the connection. */
    record RawAnswer(int status, Map<String, String> headers, String body) {

        static RawAnswer parse(String text) {
            int split = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, split).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).strip(),
                        lines[i].substring(colon + 1).strip());
            }
            return new RawAnswer(status, headers, text.substring(split + 4));
        }

        int contentLength() {
            return Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        }

        void assertProblem(int expectedStatus, String instance) {
            assertThat(status, equalTo(expectedStatus));
            assertThat(headers.get("Content-Type"), containsString(PROBLEM));
            JsonPath problem = JsonPath.from(body);
            assertThat(problem.getInt("status"), equalTo(expectedStatus));
            assertThat(problem.getString("type"), notNullValue());
            assertThat(problem.getString("title"), notNullValue());
            assertThat(problem.getString("detail"), notNullValue());
            assertThat(problem.getString("instance"), equalTo(instance));
            assertNoInternals(body);
        }
    }
}
