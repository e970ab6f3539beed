package dev.rendezvous.support;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Shared steps of the HTTP tests: every test talks to the one running application, through
 * RestAssured (see {@link RawHttp} for requests no client library would send).
 */
public final class Api {

    public static final String PROBLEM = "application/problem+json";
    public static final String BASE = "/v1/correlations";

    /** RestAssured would otherwise append a charset to the worker's Content-Type and change its bytes. */
    private static final RestAssuredConfig VERBATIM = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-waiter");
        thread.setDaemon(true);
        return thread;
    });

    private Api() {}

    public static RequestSpecification given() {
        return RestAssured.given().config(VERBATIM);
    }

    /** An ID no other test uses, so tests can share the running application. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A pending correlation created with the given ID; returns the create answer's JSON. */
    public static JsonPath create(String id) {
        return create(Map.of("id", id));
    }

    public static JsonPath create(String id, long ttl) {
        return create(Map.of("id", id, "ttl", ttl));
    }

    public static JsonPath create(Map<String, Object> body) {
        return postCorrelation(body).then().statusCode(201).extract().jsonPath();
    }

    /** The create request as it is, for answers other than 201. */
    public static Response postCorrelation(Object jsonBody) {
        return given().contentType("application/json").body(jsonBody).when().post(BASE);
    }

    /** A correlation created with the given ID and already completed with a text result. */
    public static void createCompleted(String id, String text) {
        deliver(id, create(id).getString("callbackToken"), text).then().statusCode(204);
    }

    /** A correlation created with the given ID and already failed with the given report. */
    public static void createFailed(String id, String report) {
        fail(id, create(id).getString("callbackToken"), report).then().statusCode(204);
    }

    public static String url(String id) {
        return BASE + "/" + id;
    }

    public static String resultUrl(String id) {
        return url(id) + "/result";
    }

    public static String failureUrl(String id) {
        return url(id) + "/failure";
    }

    public static String heartbeatUrl(String id) {
        return url(id) + "/heartbeat";
    }

    public static Response deliver(String id, String token, String contentType, byte[] body) {
        return given().header("Authorization", "Bearer " + token)
                .contentType(contentType)
                .body(body)
                .when()
                .post(resultUrl(id));
    }

    public static Response deliver(String id, String token, String text) {
        return deliver(id, token, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response fail(String id, String token, String json) {
        return postJson(failureUrl(id), token, json);
    }

    public static Response heartbeat(String id, String token, String json) {
        return postJson(heartbeatUrl(id), token, json);
    }

    private static Response postJson(String url, String token, String json) {
        return given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(json)
                .when()
                .post(url);
    }

    public static Response status(String id) {
        return given().when().get(url(id));
    }

    public static String state(String id) {
        return status(id).then().statusCode(200).extract().path("state");
    }

    public static Response result(String id) {
        return given().when().get(resultUrl(id));
    }

    /** Reads the result with a query string sent as it is, such as {@code "wait=60&consume=true"}. */
    public static Response result(String id, String query) {
        return given().urlEncodingEnabled(false).when().get(resultUrl(id) + "?" + query);
    }

    /** Runs a request on another thread, for long-polls that must be woken while the test goes on. */
    public static CompletableFuture<Response> inBackground(Supplier<Response> request) {
        return CompletableFuture.supplyAsync(request, BACKGROUND);
    }

    /** Starts a long-poll in the background and returns once the service holds it. */
    public static CompletableFuture<Response> heldRead(WaiterRegistry waiters, Supplier<Response> request) {
        return heldRead(waiters::waiting, request);
    }

    /** As above, with the count of held requests read by {@code waiting}. */
    public static CompletableFuture<Response> heldRead(IntSupplier waiting, Supplier<Response> request) {
        int before = waiting.getAsInt();
        CompletableFuture<Response> read = inBackground(request);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getAsInt() == before + 1);
        return read;
    }

    /** Waits for the clock only, until well past the created correlation's TTL; the prune job runs meanwhile. */
    public static void awaitPastTtl(JsonPath created) {
        Instant ttlEnd = Instant.parse(created.getString("expiresAt"));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(ttlEnd.plusMillis(600)));
    }

    public static Duration between(String from, String to) {
        return Duration.between(Instant.parse(from), Instant.parse(to));
    }

    /**
     * Checks an RFC 9457 problem: media type, every member, and that nothing internal leaks. A null
     * {@code instance} only needs to be present.
     */
    public static void assertProblem(Response response, int status, String instance) {
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

    public static void assertCompletedWith(String id, String contentType, byte[] body) {
        Response result = result(id);
        result.then().statusCode(200).header("Content-Type", contentType);
        assertThat(result.asByteArray(), equalTo(body));
    }

    /** Checks the failed correlation's result problem and its title; returns it for further checks. */
    public static Response assertFailedWith(String id, int status, String title) {
        Response result = result(id);
        assertProblem(result, status, resultUrl(id));
        result.then().body("title", equalTo(title));
        return result;
    }

    public static void assertStillPending(String id) {
        result(id).then().statusCode(202).body("state", equalTo("pending"));
    }

    public static void assertNoInternals(String body) {
        assertThat(body, not(containsString("java.")));
        assertThat(body, not(containsString("Exception")));
        assertThat(body, not(containsString("dev.rendezvous")));
        assertThat(body, not(containsString("\tat ")));
    }
}
