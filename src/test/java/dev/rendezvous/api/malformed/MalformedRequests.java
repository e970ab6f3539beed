package dev.rendezvous.api.malformed;

import static dev.rendezvous.support.Api.PROBLEM;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rendezvous.support.RawHttp;
import dev.rendezvous.support.RawHttp.Answer;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * A generated barrage of malformed requests against every client and worker endpoint, sent as raw
 * HTTP/1.1 over sockets (so that any byte can be sent and a hang shows as a read timeout). Each must
 * be answered at once with a 4xx RFC 9457 problem that leaks nothing internal, and the live
 * correlations (pending ones with waiters, completed ones) must come through untouched.
 *
 * <p>Each family of inputs is a test factory: it sends the family's requests in parallel, then each
 * answer is judged as a test of its own, named after its request and grouped by kind. The last test
 * checks the live correlations, then logs the tally of answers by status. The requests come from a
 * seed, {@value Barrage#DEFAULT_SEED} unless {@code -Dbarrage.seed=<seed>} names another, which
 * every failure names (see {@link Barrage}).
 *
 * <p>Run in process ({@code MalformedRequestsTest}, also in Redis mode) and against the packaged jar
 * ({@code MalformedRequestsIT}, {@code RedisMalformedRequestsIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MalformedRequests {

    private static final Logger LOG = Logger.getLogger(MalformedRequests.class);

    /** Longest an answer may take; a read that times out after it counts as a hang. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private static final int PARALLEL = 8;

    private static final String[] INTERNALS = {"java.", "Exception", "dev.rendezvous", "\tat ", "io.vertx", "quarkus"};

    private Barrage barrage;
    private final Map<String, Integer> tally = new TreeMap<>();
    private final Map<String, Integer> withoutProblem = new TreeMap<>();
    private int ignoredPreferences;

    /** Random bytes, deep nesting, numbers out of range or not numbers at all, NUL characters. */
    @TestFactory
    @Order(1)
    Stream<DynamicContainer> answersMalformedJsonBodiesWithAProblem() throws Exception {
        return sendAndJudge(barrage().jsonBodies);
    }

    /** Unicode, control characters, percent-encodings, traversals and over-long IDs in every path. */
    @TestFactory
    @Order(2)
    Stream<DynamicContainer> answersIdsNoCorrelationCanHaveWithAProblem() throws Exception {
        return sendAndJudge(barrage().idsAndPaths);
    }

    /** Methods no resource answers (405), bodies in other media types (415) and unparseable types. */
    @TestFactory
    @Order(3)
    Stream<DynamicContainer> answersWrongMethodsAndMediaTypesWithAProblem() throws Exception {
        return sendAndJudge(barrage().methodsAndMediaTypes);
    }

    /**
     * Parameters and headers given twice, absurd {@code Prefer} values (ignored on a pending
     * correlation: 202 at once) and missing, garbage or conflicting tokens, victims' real ones too.
     */
    @TestFactory
    @Order(4)
    Stream<DynamicContainer> answersAmbiguousParametersAndBadTokensWithAProblem() throws Exception {
        return sendAndJudge(barrage().headersAndQueries);
    }

    /** Malformed HTTP, which the codec may answer itself, or close when the client stopped sending. */
    @TestFactory
    @Order(5)
    Stream<DynamicContainer> answersMalformedHttpWithAProblemOrACloseAtOnce() throws Exception {
        return sendAndJudge(barrage().malformedHttp);
    }

    @Test
    @Order(6)
    void leavesTheLiveCorrelationsAndTheirWaitersUntouched() {
        Barrage barrage = barrage();
        LOG.infof(
                "%s, %s: %d malformed requests answered; %s; %d answered without a problem document (%s);"
                        + " %d malformed Prefer on a pending correlation, ignored (202 at once)",
                getClass().getSimpleName(),
                barrage.seedNote(),
                tally.values().stream().mapToInt(Integer::intValue).sum(),
                summary(tally),
                withoutProblem.values().stream().mapToInt(Integer::intValue).sum(),
                summary(withoutProblem),
                ignoredPreferences);
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertThat("requests generated", barrage.size(), greaterThanOrEqualTo(500)));
        checks.addAll(barrage.live.untouched());
        assertAll(barrage.seedNote(), checks);
    }

    private Barrage barrage() {
        if (barrage == null) {
            barrage = Barrage.of(Barrage.seed());
        }
        return barrage;
    }

    /** Sends the family's requests, counts the answers, and gives one test per answer, by kind. */
    private Stream<DynamicContainer> sendAndJudge(Inputs family) throws Exception {
        String seed = barrage().seedNote();
        List<Attempt> attempts = family.cases();
        List<Answer> answers = sendAll(attempts);
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, List<DynamicTest>> byKind = new LinkedHashMap<>();
        for (int i = 0; i < attempts.size(); i++) {
            Attempt attempt = attempts.get(i);
            Answer answer = answers.get(i);
            String key = answer.status() > 0 ? String.valueOf(answer.status()) : answer.failure();
            counts.merge(key, 1, Integer::sum);
            tally.merge(key, 1, Integer::sum);
            if (attempt.codecLevel() && !answer.isProblem()) {
                withoutProblem.merge(key, 1, Integer::sum);
            }
            if (attempt.expected() == 202) {
                ignoredPreferences++;
            }
            List<DynamicTest> tests = byKind.computeIfAbsent(attempt.family(), kind -> new ArrayList<>());
            tests.add(dynamicTest(tests.size() + 1 + ": " + attempt.title(), () -> {
                String wrong = judge(attempt, answer);
                if (wrong != null) {
                    fail(attempt.describe() + "\n  -> " + answer.describe() + "\n  !! " + wrong + "\n  " + seed);
                }
            }));
        }
        LOG.infof("%s: %d sent; %s", family.getClass().getSimpleName(), attempts.size(), summary(counts));
        return byKind.entrySet().stream()
                .map(kind -> dynamicContainer(
                        kind.getKey() + " (" + kind.getValue().size() + ")", kind.getValue().stream()));
    }

    /** What is wrong with the answer, or null. */
    private static String judge(Attempt attempt, Answer answer) {
        if ("hang".equals(answer.failure())) {
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
        for (String internal : INTERNALS) {
            if (answer.body().contains(internal)) {
                return "the problem leaks internals (" + internal.strip() + ")";
            }
        }
        return null;
    }

    private static List<Answer> sendAll(List<Attempt> attempts) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<Answer>> pending = new ArrayList<>();
            for (Attempt attempt : attempts) {
                pending.add(
                        senders.submit(() -> RawHttp.exchange(attempt.bytes(), attempt.closesOutput(), ANSWER_WITHIN)));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> answer : pending) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            senders.shutdownNow();
        }
    }

    private static String summary(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((status, count) -> parts.add(status + "=" + count));
        return String.join(" ", parts);
    }
}
