package dev.rendezvous.api;

import static dev.rendezvous.api.Api.BASE;
import static dev.rendezvous.api.Api.PROBLEM;
import static dev.rendezvous.api.Api.create;
import static dev.rendezvous.api.Api.createCompleted;
import static dev.rendezvous.api.Api.deliver;
import static dev.rendezvous.api.Api.heldRead;
import static dev.rendezvous.api.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A generated barrage of malformed requests against every client and worker endpoint, sent as raw
 * HTTP/1.1 over sockets (so that any byte can be sent and a hang shows as a read timeout). Each must
 * be answered at once with a 4xx RFC 9457 problem that leaks nothing internal, and the live
 * correlations (pending ones with waiters, completed ones) must come through untouched.
 *
 * <p>The inputs come from a {@link Random} with a fixed seed, printed; {@code -Dfuzz.seed=<seed>}
 * tries another. Run in process ({@code MalformedRequestsTest}, also in Redis mode) and against the
 * packaged jar ({@code MalformedRequestsIT}, {@code RedisMalformedRequestsIT}).
 */
abstract class MalformedRequests {

    /** The default seed; {@code -Dfuzz.seed} picks another. */
    private static final long SEED = 20_261_207L;

    private static final Pattern UNDECODABLE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    /** Longest an answer may take; a read that times out after it counts as a hang. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private static final int PARALLEL = 8;
    private static final int PENDING = 3;
    private static final int WAITERS_EACH = 2;
    private static final int COMPLETED = 3;
    private static final String JUNK_TOKEN = "not-the-token";

    private static final List<String> ID_ENDPOINTS =
            List.of("STATUS", "RESULT", "CANCEL", "DELIVER", "FAIL", "HEARTBEAT");

    private Random random;
    private final List<String> pendingIds = new ArrayList<>();
    private final Map<String, String> pendingTokens = new LinkedHashMap<>();
    private final Map<String, String> expiresAt = new LinkedHashMap<>();
    private final Map<String, byte[]> completedBodies = new LinkedHashMap<>();
    private final Map<String, String> completedTypes = new LinkedHashMap<>();
    /** Fresh correlations whose real token or state an ambiguous request might wrongly act on. */
    private final Map<String, String> victims = new LinkedHashMap<>();

    private final List<String> completedVictims = new ArrayList<>();

    @Test
    void answersEveryMalformedRequestAtOnceWithAProblemAndLeavesLiveCorrelationsUntouched() throws Exception {
        long seed = Long.getLong("fuzz.seed", SEED);
        System.out.println(getClass().getSimpleName() + " seed: " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        random = new Random(seed);

        List<CompletableFuture<Response>> held = createLiveCorrelations();
        int holding = waiting();

        List<Attempt> attempts = generate();
        List<Answer> answers = sendAll(attempts);

        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> codecCounts = new TreeMap<>();
        int ignoredPreferences = 0;
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            Attempt attempt = attempts.get(i);
            Answer answer = answers.get(i);
            String key = answer.status() > 0 ? String.valueOf(answer.status()) : answer.failure();
            counts.merge(key, 1, Integer::sum);
            if (attempt.codecLevel() && !answer.isProblem()) {
                codecCounts.merge(key, 1, Integer::sum);
            }
            if (attempt.expected() == 202) {
                ignoredPreferences++;
            }
            String wrong = judge(attempt, answer);
            if (wrong != null) {
                violations.add(attempt.describe() + "\n      -> " + answer.describe() + "\n      !! " + wrong);
            }
        }
        System.out.println("malformed requests: " + attempts.size() + " tried; " + summary(counts));
        System.out.println("  of which answered without a problem document: "
                + codecCounts.values().stream().mapToInt(Integer::intValue).sum() + "; " + summary(codecCounts));
        System.out.println(
                "  of which malformed Prefer on a pending correlation, ignored (202 at once): " + ignoredPreferences);
        violations.forEach(violation -> System.out.println("VIOLATION " + violation));

        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertThat(attempts.size(), greaterThanOrEqualTo(500)));
        checks.add(() -> assertTrue(
                violations.isEmpty(),
                violations.size() + " malformed requests were not answered as they should be:\n"
                        + String.join("\n", violations)));
        checks.addAll(untouched(held, holding));
        assertAll(checks);
    }

    // ---------------------------------------------------------------- live correlations

    /** Requests the instance holds, from its readiness data: the same in process and in a packaged jar. */
    private static int waiting() {
        return RestAssured.given()
                .get("/q/health/ready")
                .path("checks.find { it.name == 'correlation-store' }.data.waiters");
    }

    private List<CompletableFuture<Response>> createLiveCorrelations() {
        List<CompletableFuture<Response>> held = new ArrayList<>();
        for (int i = 0; i < PENDING; i++) {
            String id = uniqueId("fuzz-pending");
            JsonPath created = create(id, 600);
            pendingIds.add(id);
            pendingTokens.put(id, created.getString("callbackToken"));
            expiresAt.put(id, created.getString("expiresAt"));
            for (int w = 0; w < WAITERS_EACH; w++) {
                held.add(heldRead(MalformedRequests::waiting, () -> Api.result(id, "wait=120")));
            }
        }
        for (int i = 0; i < COMPLETED; i++) {
            String id = uniqueId("fuzz-done");
            byte[] body = new byte[1 + random.nextInt(64)];
            random.nextBytes(body);
            String type = i % 2 == 0 ? "application/octet-stream" : "application/x-fuzz; v=" + i;
            String token = create(id, 600).getString("callbackToken");
            deliver(id, token, type, body).then().statusCode(204);
            completedBodies.put(id, body);
            completedTypes.put(id, type);
        }
        return held;
    }

    /** A pending correlation of its own for one ambiguous request; returns its real token. */
    private String victim(String id) {
        String token = create(id, 600).getString("callbackToken");
        victims.put(id, "pending");
        return token;
    }

    private String completedVictim() {
        String id = uniqueId("fuzz-victim-done");
        createCompleted(id, "kept");
        completedVictims.add(id);
        return id;
    }

    private List<Executable> untouched(List<CompletableFuture<Response>> held, int holding) {
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
        for (String id : victims.keySet()) {
            checks.add(() -> Api.status(id).then().statusCode(200).body("state", equalTo("pending")));
        }
        for (String id : completedVictims) {
            checks.add(() -> Api.result(id).then().statusCode(200).body(equalTo("kept")));
        }
        // Last, the held waiters get what is delivered now, each exactly once.
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

    // ---------------------------------------------------------------- judging answers

    /** What is wrong with the answer, or null. */
    private static String judge(Attempt attempt, Answer answer) {
        if (answer.failure() != null && answer.failure().equals("hang")) {
            return "no answer within " + ANSWER_WITHIN.toSeconds() + " s";
        }
        if (answer.status() < 0) {
            // Only the HTTP codec may drop a connection without an answer (say, a body cut short).
            return attempt.codecLevel() ? null : "connection closed without an answer";
        }
        if (attempt.expected() == 202) {
            if (answer.status() != 202) {
                return "a malformed Prefer must be ignored: expected 202";
            }
            if (answer.millis() > 2000 || answer.header("Preference-Applied") != null) {
                return "a malformed Prefer must not make the read wait";
            }
            return null;
        }
        if (answer.status() < 400 || answer.status() > 499) {
            return "expected a 4xx status";
        }
        if (attempt.expected() != 0 && answer.status() != attempt.expected()) {
            return "expected " + attempt.expected();
        }
        if (!answer.isProblem()) {
            return "expected Content-Type " + PROBLEM;
        }
        try {
            JsonPath problem = JsonPath.from(answer.body());
            if (problem.getInt("status") != answer.status()) {
                return "the problem's status differs from the HTTP status";
            }
            if (problem.getString("title") == null || problem.getString("type") == null) {
                return "the problem lacks a type or title";
            }
        } catch (RuntimeException e) {
            return "the problem body is not a JSON object";
        }
        for (String internal : new String[] {"java.", "Exception", "dev.rendezvous", "\tat ", "io.vertx", "quarkus"}) {
            if (answer.body().contains(internal)) {
                return "the problem leaks internals (" + internal.strip() + ")";
            }
        }
        return null;
    }

    private static String summary(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((status, count) -> parts.add(status + "=" + count));
        return String.join(" ", parts);
    }

    // ---------------------------------------------------------------- generating inputs

    private List<Attempt> generate() {
        List<Attempt> attempts = new ArrayList<>();
        randomBytes(attempts);
        deepNesting(attempts);
        numbers(attempts);
        unicodeAndControlIds(attempts);
        encodedAndTraversalIds(attempts);
        nulBytes(attempts);
        duplicatedParameters(attempts);
        wrongMethods(attempts);
        wrongMediaTypes(attempts);
        framing(attempts);
        preferences(attempts);
        tokens(attempts);
        malformedHttp(attempts);
        return attempts;
    }

    /** Random bytes as a JSON body, labelled application/json, something else or nothing. */
    private void randomBytes(List<Attempt> out) {
        String[] endpoints = {"CREATE", "FAIL", "HEARTBEAT", "DELIVER"};
        for (int i = 0; i < 64; i++) {
            String endpoint = endpoints[i % endpoints.length];
            byte[] body = new byte[1 + random.nextInt(i % 8 == 0 ? 200_000 : 2048)];
            random.nextBytes(body);
            body[0] = (byte) ('!' + random.nextInt(90)); // never only whitespace, which reads as no body
            if (body[0] == '{' || body[0] == '[' || body[0] == '"' || Character.isDigit(body[0])) {
                body[0] = '#';
            }
            List<String> headers = new ArrayList<>();
            switch (i % 3) {
                case 0 -> headers.add("Content-Type: application/json");
                case 1 -> headers.add("Content-Type: application/octet-stream");
                default -> {
                    // no Content-Type at all
                }
            }
            headers.add("Authorization: Bearer " + JUNK_TOKEN);
            out.add(Attempt.of("random-bytes", "POST", path(endpoint, anyLiveOrUnknownId()), headers, body));
        }
    }

    /** Arrays and objects nested 10 to 100000 deep, whole or as a member's value, closed or not. */
    private void deepNesting(List<Attempt> out) {
        List<Integer> depths = new ArrayList<>(List.of(10, 31, 32, 33, 100, 1000, 10_000, 100_000));
        for (int i = 0; i < 8; i++) {
            depths.add(10 + random.nextInt(100_000 - 10));
        }
        for (int depth : depths) {
            String arrays = "[".repeat(depth) + "]".repeat(depth);
            String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            String unclosed = "[{\"a\":".repeat(depth / 2);
            out.add(json("nesting", "CREATE", null, arrays));
            out.add(json("nesting", "CREATE", null, "{\"id\":" + arrays + "}"));
            out.add(json("nesting", "CREATE", null, "{\"ttl\":" + objects + "}"));
            out.add(json("nesting", "HEARTBEAT", pending(), "{\"details\":" + objects + "}"));
            out.add(json("nesting", "HEARTBEAT", pending(), unclosed));
            out.add(json("nesting", "FAIL", pending(), "{\"title\":" + arrays + "}"));
        }
    }

    /** Out of range, negative, fractional, exponent, overflowing and 1000-digit numbers. */
    private void numbers(List<Attempt> out) {
        List<String> bad = new ArrayList<>(List.of(
                "0",
                "-1",
                "-0",
                "1.5",
                "1.0",
                "1e3",
                "1E+2",
                "-1e400",
                "1e400",
                "0.0001",
                "86401",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "18446744073709551616",
                "NaN",
                "Infinity",
                "-Infinity",
                "0x10",
                "01",
                "+1",
                "\"300\"",
                "true",
                "[]",
                "{}",
                "\"\""));
        bad.add(digits(20));
        bad.add(digits(21));
        bad.add(digits(1000));
        bad.add("-" + digits(1000));
        bad.add(digits(5000));
        bad.add("1" + "0".repeat(300) + ".5");
        bad.add("0." + digits(1000));
        for (String number : bad) {
            out.add(json("numbers", "CREATE", null, "{\"ttl\":" + number + "}"));
            out.add(json("numbers", "HEARTBEAT", pending(), "{\"ttl\":" + number + "}"));
            out.add(json("numbers", "FAIL", pending(), "{\"title\":\"t\",\"status\":" + number + "}"));
        }
        for (String status : new String[] {"399", "600", "200", "1000", "-422", "422.0", "4.22e2", "2147483648"}) {
            out.add(json("numbers", "FAIL", anyLiveOrUnknownId(), "{\"status\":" + status + "}"));
        }
        List<String> waits = new ArrayList<>(List.of(
                "-1",
                "301",
                "1.5",
                "1e2",
                "+1",
                "%2B1",
                "0x10",
                "%201",
                "1%20",
                "1%00",
                "300.0",
                "1_0",
                "99999999999999999999",
                "9223372036854775808",
                "true"));
        waits.add(digits(1000));
        waits.add("0".repeat(1000) + "1");
        for (String wait : waits) {
            out.add(get("numbers", path("RESULT", anyLiveOrUnknownId()) + "?wait=" + wait));
        }
        // Digits of other scripts (Arabic-Indic, Devanagari, fullwidth one) are not ASCII seconds.
        for (String wait : new String[] {"%D9%A1", "%E0%A5%A7", "%EF%BC%91"}) {
            out.add(get("numbers", path("RESULT", pending()) + "?wait=" + wait));
        }
    }

    /** Unicode and control characters in IDs, in the path and in the create body. */
    private void unicodeAndControlIds(List<Attempt> out) {
        List<String> ids = new ArrayList<>(List.of(
                "caf\u00e9",
                "\u65e5\u672c\u8a9e",
                "\ud83d\ude00",
                "a\u202eb",
                "\ufeffa",
                "a\u00a0b",
                "a\u0000b",
                "\u0001",
                "a\tb",
                "a\nb",
                "a\r\nX-Injected: 1",
                "\u007f",
                "a\u0085b",
                "\u2028",
                "\uffff"));
        for (int i = 0; i < 5; i++) {
            ids.add(randomText(1 + random.nextInt(40)));
        }
        for (String id : ids) {
            for (String endpoint : ID_ENDPOINTS) {
                out.add(callbackOr("unicode-ids", endpoint, encode(id)));
            }
            out.add(json("unicode-ids", "CREATE", null, "{\"id\":" + jsonString(id) + "}"));
            out.add(json("unicode-ids", "CREATE", null, "{\"id\":\"" + id + "\"}")); // control characters unescaped
        }
        for (String id : new String[] {
            "\\ud800",
            "\\udfff",
            "a\\u0000",
            "\\u002e\\u002e",
            ".",
            "..",
            "",
            " ",
            "a/b",
            "a%2Fb",
            "x".repeat(129),
            "x".repeat(100_000)
        }) {
            out.add(json("unicode-ids", "CREATE", null, "{\"id\":\"" + id + "\"}"));
        }
        out.add(json("unicode-ids", "CREATE", null, "{\"signing\":\"yes\"}"));
        out.add(json("unicode-ids", "CREATE", null, "{\"signing\":1}"));
    }

    /** Percent-encoded, overlong-UTF-8, traversal and over-long IDs in the path. */
    private void encodedAndTraversalIds(List<Attempt> out) {
        String live = pendingIds.get(0);
        List<String> ids = new ArrayList<>(List.of(
                "..%2F",
                "..%2f..%2f..%2fetc%2fpasswd",
                "%2e%2e",
                "%2E%2E",
                "%2e%2e%2f",
                ".%2e",
                "%2e.",
                "%2e",
                "..%5C",
                "%5C..%5C",
                "..%255c",
                "%00",
                "a%00",
                "%00a",
                "%C0%AE",
                "%C0%AE%C0%AE",
                "%C0%AE%C0%AE%C0%AF",
                "%E0%80%AE",
                "%F0%80%80%AE",
                "%ED%A0%80",
                "%FF",
                "%25",
                "%252e%252e",
                "%",
                "%%",
                "%zz",
                "%2",
                "%u002e",
                "a%0D%0AX-Injected:%201",
                "%20",
                "a%2Bb",
                "a+b",
                "a%3Fb=c",
                "a%23b",
                "x".repeat(129),
                "x".repeat(3500),
                live + "%00",
                live + "%2F",
                live + "%2f..",
                "..%2F" + live,
                live + "%20",
                "%20" + live,
                live + "%2F%2e%2e"));
        for (String id : ids) {
            for (String endpoint : ID_ENDPOINTS) {
                Attempt attempt = callbackOr("encoded-ids", endpoint, id);
                out.add(undecodable(id) ? attempt.byCodec() : attempt);
            }
        }
    }

    /**
     * Whether {@code text} holds a percent sign that starts no valid escape: Vert.x refuses such a
     * path or query before any route runs, with a bare 400 the application never sees.
     */
    private static boolean undecodable(String text) {
        return UNDECODABLE.matcher(text).find();
    }

    /** NUL bytes in bodies and header values. */
    private void nulBytes(List<Attempt> out) {
        for (String body : new String[] {
            "{\"id\":\"a\u0000b\"}",
            "\u0000",
            "{\"id\":\"" + uniqueId("nul") + "\"}\u0000",
            "\u0000{\"ttl\":5}",
            "{\"ttl\":5\u0000}",
            "{\"ttl\u0000\":5}"
        }) {
            out.add(json("nul", "CREATE", null, body));
        }
        out.add(json("nul", "FAIL", pending(), "{\"title\":\"a\u0000\"}"));
        out.add(json("nul", "HEARTBEAT", pending(), "{\"details\":{\"a\u0000\":1}}"));
        out.add(Attempt.of(
                "nul",
                "POST",
                path("DELIVER", pending()),
                List.of("Content-Type: text/plain", "Authorization: Bearer " + JUNK_TOKEN),
                "\u0000\u0000x\u0000".getBytes(StandardCharsets.ISO_8859_1)));
        // Header values with NUL are malformed HTTP: the codec may refuse them before the service.
        String[][] headers = {
            {"Authorization: Bearer \u0000", "DELIVER"},
            {"Authorization: Bearer a\u0000b", "FAIL"},
            {"Authorization: Bearer " + pendingTokens.get(pendingIds.get(0)) + "\u0000", "HEARTBEAT"},
            {"Prefer: wait=\u0000", "RESULT"},
            {"Prefer: wait=5\u0000", "RESULT"},
            {"Content-Type: application/json\u0000", "CREATE"},
            {"Content-Type: \u0000", "DELIVER"},
            {"X-Junk: \u0000", "STATUS"},
            {"X-\u0000: a", "STATUS"},
        };
        for (String[] header : headers) {
            String target = header[1].equals("CREATE") ? BASE : path(header[1], unknownId());
            if (header[1].equals("HEARTBEAT")) {
                target = path("HEARTBEAT", pendingIds.get(0));
            }
            String method = header[1].equals("STATUS") || header[1].equals("RESULT") ? "GET" : "POST";
            byte[] body = method.equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
            List<String> all = new ArrayList<>(List.of(header[0]));
            if (!header[0].startsWith("Content-Type") && body != null) {
                all.add("Content-Type: application/json");
            }
            out.add(Attempt.of("nul-header", method, target, all, body).byCodec());
        }
    }

    /** The same query parameter or header twice, even with the same value: ambiguous, so refused. */
    private void duplicatedParameters(List<Attempt> out) {
        String live = pendingIds.get(1);
        out.add(get("duplicates", path("RESULT", live) + "?wait=1&wait=2"));
        out.add(get("duplicates", path("RESULT", live) + "?wait=abc&wait=1"));
        out.add(get("duplicates", path("RESULT", live) + "?wait=1&wait=abc"));
        out.add(get("duplicates", path("RESULT", live) + "?wait=0&wait=301"));
        // Spellings the HTTP decoder reads as the same name: a stray '=' before it, an escape, case.
        out.add(get("duplicates", path("RESULT", live) + "?=wait=1&wait=2"));
        out.add(get("duplicates", path("RESULT", live) + "?w%61it=1;wait=2"));
        out.add(get("duplicates", path("RESULT", live) + "?WAIT=1&wait=2"));
        out.add(get("duplicates", path("RESULT", completedVictim()) + "?consume=true&consume=false"));
        out.add(get("duplicates", path("RESULT", completedVictim()) + "?consume=false&consume=true"));
        out.add(get("duplicates", path("RESULT", completedVictim()) + "?consume=true&consume=yes"));
        out.add(Attempt.of(
                "duplicates", "GET", path("RESULT", unknownId()), List.of("Prefer: wait=1", "Prefer: wait=2"), null));
        for (String endpoint : new String[] {"DELIVER", "FAIL", "HEARTBEAT"}) {
            out.add(callback("duplicates", endpoint, live, "?token=a&token=b", null));
            out.add(callback("duplicates", endpoint, live, "?==token=a&token=b", null));
            String first = uniqueId("fuzz-victim");
            out.add(callback("duplicates", endpoint, first, "?token=" + victim(first) + "&token=b", null));
            String second = uniqueId("fuzz-victim");
            out.add(callback("duplicates", endpoint, second, "?token=b&token=" + victim(second), null));
            String third = uniqueId("fuzz-victim");
            out.add(callback(
                    "duplicates",
                    endpoint,
                    third,
                    "",
                    List.of("Authorization: Bearer " + victim(third), "Authorization: Bearer b")));
            String fourth = uniqueId("fuzz-victim");
            out.add(callback(
                    "duplicates",
                    endpoint,
                    fourth,
                    "",
                    List.of("Authorization: Bearer b", "Authorization: Bearer " + victim(fourth))));
            // Header names are case-insensitive: a second spelling is the same header given twice.
            String fifth = uniqueId("fuzz-victim");
            out.add(callback(
                    "duplicates",
                    endpoint,
                    fifth,
                    "?token=" + victim(fifth),
                    List.of("webhook-id: msg_1", "Webhook-ID: msg_2")));
            String sixth = uniqueId("fuzz-victim");
            String sixthToken = victim(sixth);
            out.add(callback(
                    "duplicates",
                    endpoint,
                    sixth,
                    "",
                    List.of("Authorization: Bearer " + sixthToken, "AUTHORIZATION: Bearer " + sixthToken)));
        }
        out.add(Attempt.of(
                "duplicates",
                "POST",
                BASE,
                List.of("Content-Type: application/json", "Content-Type: application/xml"),
                "{}".getBytes(StandardCharsets.UTF_8)));
        out.add(Attempt.of(
                "duplicates",
                "POST",
                BASE,
                List.of("Content-Type: text/plain", "Content-Type: application/json"),
                "{}".getBytes(StandardCharsets.UTF_8)));
    }

    /** Methods that no resource answers: 405, whatever the path or body. */
    private void wrongMethods(List<Attempt> out) {
        Map<String, List<String>> refused = new LinkedHashMap<>();
        refused.put("", List.of("PUT", "PATCH", "DELETE", "GET"));
        refused.put("/{id}", List.of("PUT", "PATCH", "POST"));
        refused.put("/{id}/result", List.of("PUT", "PATCH", "DELETE"));
        refused.put("/{id}/failure", List.of("GET", "PUT", "PATCH", "DELETE"));
        refused.put("/{id}/heartbeat", List.of("GET", "PUT", "PATCH", "DELETE"));
        refused.forEach((suffix, methods) -> {
            for (String method : methods) {
                for (String id : new String[] {pending(), completed(), unknownId()}) {
                    String target = suffix.isEmpty() ? BASE : BASE + suffix.replace("{id}", id);
                    byte[] body = random.nextBoolean() ? "{}".getBytes(StandardCharsets.UTF_8) : null;
                    List<String> headers = body == null
                            ? List.of()
                            : List.of("Content-Type: application/json", "Authorization: Bearer " + JUNK_TOKEN);
                    out.add(Attempt.of("methods", method, target, headers, body));
                    if (suffix.isEmpty()) {
                        break;
                    }
                }
            }
        });
    }

    /** Bodies for the JSON endpoints in other media types (415), and media types that do not parse. */
    private void wrongMediaTypes(List<Attempt> out) {
        String[] types = {
            "text/plain", "application/xml", "text/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/octet-stream", "text/html", "application/json-seq"
        };
        for (String type : types) {
            out.add(typed("media-types", "CREATE", null, type, "{}"));
            out.add(typed("media-types", "FAIL", pending(), type, "{}"));
            out.add(typed("media-types", "HEARTBEAT", pending(), type, "{}"));
        }
        String[] malformed = {
            "application/",
            "/json",
            "json",
            ";;;",
            "application/json;;",
            "application/json; charset=klingon",
            "application/json; charset=",
            "application/json; charset=utf-16",
            "application/json; =x",
            "a/b/c",
            "\"application/json\"",
            "application/json, text/plain",
            "*/*",
            "application/*",
            "\u00e9/\u00e9",
            " "
        };
        for (String type : malformed) {
            // A body with an invalid value: accepted or not, the answer must be a 4xx problem.
            out.add(typed("media-types", "CREATE", null, type, "{\"ttl\":0}"));
            out.add(typed("media-types", "FAIL", pending(), type, "{\"status\":0}"));
            out.add(typed("media-types", "HEARTBEAT", pending(), type, "{\"ttl\":0}"));
            out.add(typed("media-types", "DELIVER", pending(), type, "x"));
        }
    }

    /** Bodies of unknown length or a declared length over max-body: refused before they are read. */
    private void framing(List<Attempt> out) {
        for (String endpoint : new String[] {"CREATE", "DELIVER", "FAIL", "HEARTBEAT", "STATUS"}) {
            String target = endpoint.equals("CREATE") ? BASE : path(endpoint, pending());
            String method = endpoint.equals("STATUS") ? "GET" : "POST";
            if (method.equals("GET")) {
                target = path("STATUS", unknownId());
            }
            for (String length : new String[] {"1048577", "2147483648", "9223372036854775807"}) {
                out.add(Attempt.of(
                                "framing",
                                method,
                                target,
                                List.of("Content-Type: application/json", "Content-Length: " + length),
                                null)
                        .expecting(413));
            }
            byte[] chunked = "2\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.add(Attempt.of(
                    "framing",
                    method,
                    target,
                    List.of("Content-Type: application/json", "Transfer-Encoding: chunked"),
                    chunked));
            // Both framings at once (a smuggling vector): the HTTP codec itself refuses it.
            out.add(Attempt.of(
                            "framing",
                            method,
                            target,
                            List.of(
                                    "Content-Type: application/json",
                                    "Transfer-Encoding: chunked",
                                    "Content-Length: 2"),
                            chunked)
                    .byCodec());
            // A declared length shorter than the body: the service reads a cut-off body.
            byte[] cut = "{\"id\":\"x\",\"ttl\":5}".getBytes(StandardCharsets.US_ASCII);
            out.add(Attempt.of(
                    "framing",
                    method,
                    target,
                    List.of("Content-Type: application/json", "Content-Length: 5", "Authorization: Bearer x"),
                    cut));
        }
    }

    /** Absurd {@code Prefer} values: never a long hold, never a 5xx. */
    private void preferences(List<Attempt> out) {
        List<String> ignored = new ArrayList<>(List.of(
                "wait=99999999999999999999",
                "wait=-1",
                "wait=",
                "wait",
                "wait=abc",
                "wait=1.5",
                "wait=1e9",
                "wait=0x10",
                "wait=\"\"",
                "wait=\"",
                "wait=+5",
                "wait=5s",
                "wait=\u00e9",
                ",,,,,"));
        ignored.add("wait=" + "9".repeat(10_000));
        ignored.add(",".repeat(10_000));
        ignored.add("x".repeat(10_240));
        ignored.add("respond-async" + ", foo=bar".repeat(1000));
        ignored.add("wait=-" + digits(1000));
        List<String> valid = new ArrayList<>(List.of(
                "wait=99999999999",
                "wait=300",
                "wait=999999999999999999",
                "respond-async, wait=99999999999",
                "wait=\"300\"",
                "wait=1;wait=2"));
        valid.add(",".repeat(5000) + "wait=300");
        for (String preference : ignored) {
            // Ignored as the contract says: at once 202 on a pending correlation.
            out.add(Attempt.of("prefer", "GET", path("RESULT", pending()), List.of("Prefer: " + preference), null)
                    .expecting(202));
        }
        List<String> all = new ArrayList<>(ignored);
        all.addAll(valid);
        for (String preference : all) {
            List<String> header = List.of("Prefer: " + preference);
            out.add(Attempt.of("prefer", "GET", path("RESULT", unknownId()), header, null));
            out.add(Attempt.of("prefer", "GET", path("RESULT", "bad%2Fid"), header, null));
            out.add(Attempt.of("prefer", "GET", path("RESULT", pending()) + "?wait=abc", header, null));
            out.add(Attempt.of("prefer", "GET", path("RESULT", completed()) + "?consume=maybe", header, null));
        }
    }

    /** Missing, empty, garbage and conflicting callback tokens and Authorization headers. */
    private void tokens(List<Attempt> out) {
        List<List<String>> authorizations = new ArrayList<>(List.of(
                List.of(),
                List.of("Authorization:"),
                List.of("Authorization: Bearer"),
                List.of("Authorization: Bearer "),
                List.of("Authorization: Bearer      "),
                List.of("Authorization: Basic dXNlcjpwYXNz"),
                List.of("Authorization: Bearer a b"),
                List.of("Authorization: Bearer " + "t".repeat(10_000)),
                List.of("Authorization: Bearer \u00e9\u00e8"),
                List.of("Authorization: " + JUNK_TOKEN),
                List.of("Authorization: Bearer " + JUNK_TOKEN, "webhook-id: x"),
                List.of("Authorization: Bearer " + JUNK_TOKEN, "webhook-signature: v1,AAAA", "webhook-timestamp: x")));
        for (String endpoint : new String[] {"DELIVER", "FAIL", "HEARTBEAT"}) {
            for (List<String> authorization : authorizations) {
                out.add(callback("tokens", endpoint, anyLiveOrUnknownId(), "", authorization));
            }
            for (String query : new String[] {
                "?token=",
                "?token",
                "?token=%00",
                "?token=%FF",
                "?token=%zz",
                "?token=" + "t".repeat(3000),
                "?token=" + encode(randomText(20)),
                "?TOKEN=" + JUNK_TOKEN
            }) {
                Attempt attempt = callback("tokens", endpoint, anyLiveOrUnknownId(), query, List.of());
                out.add(undecodable(query) ? attempt.byCodec() : attempt);
            }
            // The real token together with another one, or mangled: refused, the victim untouched.
            String both = uniqueId("fuzz-victim");
            String token = victim(both);
            out.add(callback("tokens", endpoint, both, "?token=b", List.of("Authorization: Bearer " + token)));
            String other = uniqueId("fuzz-victim");
            out.add(callback("tokens", endpoint, other, "?token=" + victim(other), List.of("Authorization: Bearer b")));
            String mangled = uniqueId("fuzz-victim");
            String real = victim(mangled);
            out.add(callback("tokens", endpoint, mangled, "?token=" + real + "%00", List.of()));
            out.add(callback("tokens", endpoint, mangled, "", List.of("Authorization: Bearer " + real + " x")));
            out.add(callback(
                    "tokens",
                    endpoint,
                    mangled,
                    "",
                    List.of("Authorization: Bearer " + real.toUpperCase(Locale.ROOT))));
            out.add(callback("tokens", endpoint, mangled, "?token=" + real.substring(1), List.of()));
        }
    }

    /**
     * Malformed HTTP itself. The HTTP codec (Netty, under Vert.x) refuses much of it before the
     * router sees the request; the edge answers those with a problem too, or the connection closes
     * when the client stopped sending. Each answer is checked in full.
     */
    private void malformedHttp(List<Attempt> out) {
        // Unknown IDs: a malformed request the codec lets through must still not succeed.
        String target = path("STATUS", unknownId());
        String post = path("DELIVER", pending());
        List<String> plain = List.of("Content-Type: application/json", "Authorization: Bearer " + JUNK_TOKEN);
        for (String length : new String[] {
            "abc", "-1", "1.5", "0x10", "+2", "", " ", "2, 3", "2,2", "99999999999999999999", "1e3", "\uff12"
        }) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Content-Length: " + length);
            out.add(Attempt.of("content-length", "POST", post, headers, "{}".getBytes(StandardCharsets.UTF_8))
                    .byCodec());
        }
        for (String[] pair : new String[][] {{"2", "3"}, {"2", "2"}, {"3", "2"}, {"2", "-2"}}) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Content-Length: " + pair[0]);
            headers.add("Content-Length: " + pair[1]);
            out.add(Attempt.of("content-length", "POST", BASE, headers, "{}".getBytes(StandardCharsets.UTF_8))
                    .byCodec());
        }
        // A body shorter than declared, then the client stops sending.
        for (String endpoint : new String[] {"CREATE", "DELIVER", "FAIL", "HEARTBEAT"}) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Content-Length: 100");
            String path = endpoint.equals("CREATE") ? BASE : path(endpoint, pending());
            out.add(Attempt.of("content-length", "POST", path, headers, "{\"id\"".getBytes(StandardCharsets.UTF_8))
                    .stopSending()
                    .byCodec());
        }
        for (String encoding : new String[] {"identity", "chunked, gzip", "xchunked", "gzip", "chunked\u0000"}) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Transfer-Encoding: " + encoding);
            out.add(Attempt.of(
                            "content-length",
                            "POST",
                            post,
                            headers,
                            "2\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                    .byCodec());
        }
        String[] requests = {
            "GET " + target + " HTTP/1.1 extra\r\nHost: x\r\n\r\n",
            "GET " + target + " HTTP/9.9\r\nHost: x\r\n\r\n",
            "GET " + target + " HTTQ/1.1\r\nHost: x\r\n\r\n",
            "GET\r\nHost: x\r\n\r\n",
            "GET  HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/correlations/a b HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/correlations/a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/correlations/a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/correlations/caf\u00c3\u00a9 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/correlations/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET " + path("STATUS", "x".repeat(10_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(30_000) + "\r\n\r\n",
            "GET " + target + " HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
            "GET " + target + " HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n",
            "GET " + target + " HTTP/1.1\r\n Folded: x\r\nHost: x\r\n\r\n",
            "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
            "GET " + target + " HTTP/1.1\r\nHost: x\r\n: empty-name\r\n\r\n",
            "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-CR: a\rb\r\n\r\n",
            "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
            "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n",
        };
        for (String request : requests) {
            out.add(Attempt.raw("malformed-http", request).byCodec());
        }
        // Leading control characters are skipped as empty lines; the server then rightly waits for more.
        out.add(Attempt.raw("malformed-http", "\u0000\u0000\u0000\u0000\r\n\r\n")
                .stopSending()
                .byCodec());
        for (int i = 0; i < 6; i++) {
            byte[] garbage = new byte[1 + random.nextInt(4096)];
            random.nextBytes(garbage);
            out.add(Attempt.raw("malformed-http", garbage).stopSending().byCodec());
        }
    }

    // ---------------------------------------------------------------- input helpers

    private Attempt json(String family, String endpoint, String id, String body) {
        return typed(family, endpoint, id, "application/json", body);
    }

    private Attempt typed(String family, String endpoint, String id, String type, String body) {
        String target = endpoint.equals("CREATE") ? BASE : path(endpoint, id);
        List<String> headers = new ArrayList<>();
        headers.add("Content-Type: " + type);
        if (!endpoint.equals("CREATE")) {
            headers.add("Authorization: Bearer " + JUNK_TOKEN);
        }
        return Attempt.of(family, "POST", target, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Attempt get(String family, String target) {
        return Attempt.of(family, "GET", target, List.of(), null);
    }

    /** A request to one endpoint for a path ID as given (already encoded); callbacks carry a junk token. */
    private Attempt callbackOr(String family, String endpoint, String encodedId) {
        return switch (endpoint) {
            case "STATUS", "RESULT" -> get(family, path(endpoint, encodedId));
            case "CANCEL" -> Attempt.of(family, "DELETE", path(endpoint, encodedId), List.of(), null);
            default -> callback(family, endpoint, encodedId, "", List.of("Authorization: Bearer " + JUNK_TOKEN));
        };
    }

    /** A well-formed callback body for the endpoint, so that only the token or the path is wrong. */
    private static Attempt callback(String family, String endpoint, String id, String query, List<String> auth) {
        List<String> headers = new ArrayList<>(auth == null ? List.of() : auth);
        String body;
        switch (endpoint) {
            case "DELIVER" -> {
                headers.add("Content-Type: text/plain");
                body = "fuzz";
            }
            case "FAIL" -> {
                headers.add("Content-Type: application/json");
                body = "{\"title\":\"fuzz\",\"status\":422}";
            }
            default -> {
                headers.add("Content-Type: application/json");
                body = "{\"ttl\":60}";
            }
        }
        return Attempt.of(family, "POST", path(endpoint, id) + query, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String path(String endpoint, String id) {
        String self = BASE + "/" + id;
        return switch (endpoint) {
            case "CREATE" -> BASE;
            case "STATUS", "CANCEL" -> self;
            case "RESULT", "DELIVER" -> self + "/result";
            case "FAIL" -> self + "/failure";
            case "HEARTBEAT" -> self + "/heartbeat";
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    private String pending() {
        return pendingIds.get(random.nextInt(pendingIds.size()));
    }

    private String completed() {
        List<String> ids = new ArrayList<>(completedBodies.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    private String unknownId() {
        return "fuzz-unknown-" + Long.toHexString(random.nextLong());
    }

    private String anyLiveOrUnknownId() {
        return switch (random.nextInt(3)) {
            case 0 -> pending();
            case 1 -> completed();
            default -> unknownId();
        };
    }

    private String digits(int count) {
        StringBuilder digits = new StringBuilder().append((char) ('1' + random.nextInt(9)));
        while (digits.length() < count) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    /** Random code points from the whole range, control characters and astral planes included. */
    private String randomText(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int codePoint = random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(0x10FFFF);
            if (codePoint < 0xD800 || codePoint > 0xDFFF) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        text.chars().forEach(c -> {
            if (c < 0x20 || c == '"' || c == '\\') {
                json.append(String.format("\\u%04x", c));
            } else {
                json.append((char) c);
            }
        });
        return json.append('"').toString();
    }

    // ---------------------------------------------------------------- sending

    private static List<Answer> sendAll(List<Attempt> attempts) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(PARALLEL);
        ExecutorService writers = Executors.newCachedThreadPool();
        try {
            List<Future<Answer>> pending = new ArrayList<>();
            for (Attempt attempt : attempts) {
                pending.add(senders.submit(() -> send(attempt, writers)));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> answer : pending) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            senders.shutdownNow();
            writers.shutdownNow();
        }
    }

    /**
     * Writes the request on another thread while reading, so that an answer the service gives before
     * it has read a large body is read before the connection is reset.
     */
    private static Answer send(Attempt attempt, ExecutorService writers) throws IOException {
        long start = System.nanoTime();
        Function<String, Answer> failed = failure ->
                new Answer(-1, Map.of(), "", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failure);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", RestAssured.port), 2000);
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            writers.submit(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(attempt.bytes());
                    out.flush();
                    if (attempt.closesOutput()) {
                        socket.shutdownOutput();
                    }
                } catch (IOException e) {
                    // The service may answer and close before it read everything; the answer counts.
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    received.write(buffer, 0, read);
                    Answer answer = Answer.parse(received.toByteArray(), start, false);
                    if (answer != null) {
                        return answer;
                    }
                }
            } catch (SocketTimeoutException e) {
                return failed.apply("hang");
            } catch (IOException e) {
                // A reset after a complete answer is fine; without one it counts as closed.
            }
            Answer answer = Answer.parse(received.toByteArray(), start, true);
            return answer != null ? answer : failed.apply("closed");
        }
    }

    /** One generated request, as the bytes to send. */
    record Attempt(
            String family, String summary, byte[] bytes, boolean codecLevel, boolean closesOutput, int expected) {

        static Attempt of(String family, String method, String target, List<String> headers, byte[] body) {
            StringBuilder head =
                    new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: localhost\r\n");
            boolean framed = false;
            for (String header : headers) {
                head.append(header).append("\r\n");
                String name = header.toLowerCase(Locale.ROOT);
                framed |= name.startsWith("content-length:") || name.startsWith("transfer-encoding:");
            }
            if (body != null && !framed) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] bytes = body == null ? start : concat(start, body);
            String summary = method + " " + target + " " + headers
                    + (body == null ? "" : " body(" + body.length + "): " + new String(body, StandardCharsets.UTF_8));
            return new Attempt(family, summary, bytes, false, false, 0);
        }

        static Attempt raw(String family, String request) {
            return raw(family, request.getBytes(StandardCharsets.ISO_8859_1));
        }

        static Attempt raw(String family, byte[] request) {
            return new Attempt(
                    family, "raw: " + new String(request, StandardCharsets.ISO_8859_1), request, false, false, 0);
        }

        /** Malformed HTTP that the codec may refuse before the service sees it. */
        Attempt byCodec() {
            return new Attempt(family, summary, bytes, true, closesOutput, expected);
        }

        /** Shuts the sending side after the bytes, as a client that gives up mid-request. */
        Attempt stopSending() {
            return new Attempt(family, summary, bytes, codecLevel, true, expected);
        }

        Attempt expecting(int status) {
            return new Attempt(family, summary, bytes, codecLevel, closesOutput, status);
        }

        String describe() {
            return "[" + family + "] " + abbreviate(summary);
        }

        private static byte[] concat(byte[] first, byte[] second) {
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return both;
        }
    }

    /** An answer read off the socket; a negative status means none came ({@code failure} says why). */
    record Answer(int status, Map<String, String> headers, String body, long millis, String failure) {

        /** The answer once it is complete (or, at the end of the stream, as far as it came); else null. */
        static Answer parse(byte[] received, long start, boolean ended) {
            String text = new String(received, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            if (split < 0 || !text.startsWith("HTTP/1.")) {
                return null;
            }
            String[] lines = text.substring(0, split).split("\r\n");
            String[] statusLine = lines[0].split(" ");
            if (statusLine.length < 2) {
                return null;
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).strip(),
                            lines[i].substring(colon + 1).strip());
                }
            }
            String rest = text.substring(split + 4);
            String body;
            if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
                body = dechunk(rest);
                if (body == null && !ended) {
                    return null;
                }
            } else if (headers.containsKey("Content-Length")) {
                int length = Integer.parseInt(headers.get("Content-Length"));
                if (rest.length() < length && !ended) {
                    return null;
                }
                body = rest.substring(0, Math.min(length, rest.length()));
            } else if (status == 204 || status == 304 || ended) {
                body = rest;
            } else {
                return null;
            }
            byte[] bytes = (body == null ? rest : body).getBytes(StandardCharsets.ISO_8859_1);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Answer(status, headers, new String(bytes, StandardCharsets.UTF_8), millis, null);
        }

        private static String dechunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int end = chunked.indexOf("\r\n", at);
                if (end < 0) {
                    return null;
                }
                int size = Integer.parseInt(
                        chunked.substring(at, end).split(";")[0].strip(), 16);
                if (size == 0) {
                    return body.toString();
                }
                if (chunked.length() < end + 2 + size + 2) {
                    return null;
                }
                body.append(chunked, end + 2, end + 2 + size);
                at = end + 2 + size + 2;
            }
        }

        boolean isProblem() {
            String type = headers.get("Content-Type");
            return type != null && type.startsWith(PROBLEM);
        }

        String header(String name) {
            return headers.get(name);
        }

        String describe() {
            if (status < 0) {
                return failure + " after " + millis + " ms";
            }
            return status + " " + headers.getOrDefault("Content-Type", "(no Content-Type)") + " in " + millis + " ms: "
                    + abbreviate(body);
        }
    }

    /** Keeps long inputs readable in a report and shows control characters. */
    private static String abbreviate(String text) {
        StringBuilder shown = new StringBuilder();
        int limit = 400;
        for (int i = 0; i < text.length() && shown.length() < limit; i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                shown.append("\\r\\n");
                i++;
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                shown.append(String.format("\\x%02x", (int) c));
            } else {
                shown.append(c);
            }
        }
        if (shown.length() >= limit) {
            shown.append("... (").append(text.length()).append(" chars)");
        }
        return shown.toString();
    }
}
