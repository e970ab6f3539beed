package dev.rendezvous.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What a replica does with Redis connection settings that cannot work: it starts, stays unready,
 * answers {@code 503} with {@code Retry-After}, and logs one line that says what is wrong and which
 * setting to fix, rather than a line per request. Each subclass runs it against its own
 * {@link dev.rendezvous.support.MisconfiguredRedisResource.Setup}.
 */
abstract class MisconfiguredRedisContract {

    private static final String PROBLEM = "application/problem+json";

    /** What the one line must say, beyond naming the hosts. */
    abstract List<String> explanation();

    @Test
    void staysUnreadyAnswers503AndLogsOneLineNamingTheSettingToFix() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> given().get("/q/health/ready").statusCode() == 503);
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json")
                    .body("{}")
                    .post("/v1/correlations")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", notNullValue())
                    .contentType(startsWith(PROBLEM));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !misconfigured().isEmpty());
        List<String> lines = misconfigured();
        assertEquals(1, lines.size(), () -> "one line:\n" + String.join("\n", lines));
        String line = lines.get(0);
        String hosts = ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class);
        assertTrue(line.contains("quarkus.redis.hosts=" + hosts), line);
        explanation().forEach(part -> assertTrue(line.contains(part), () -> "'" + part + "' in " + line));
        // The service's own warnings and errors (categories are abbreviated), and any stack trace.
        List<String> warnings = log().stream()
                .filter(entry -> entry.startsWith("\tat ")
                        || (entry.contains(" [dev.ren.") && (entry.contains(" WARN ") || entry.contains(" ERROR "))))
                .toList();
        assertEquals(
                List.of(line),
                warnings.stream()
                        .filter(entry -> !entry.contains("Redis is unavailable"))
                        .toList(),
                "no line per refused request, no stack trace");
        assertTrue(warnings.size() <= 2, () -> "the unavailable Redis once at most:\n" + String.join("\n", warnings));
    }

    private static List<String> misconfigured() {
        return log().stream()
                .filter(line -> line.contains("Redis is misconfigured"))
                .toList();
    }

    private static List<String> log() {
        Path file = Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
