package dev.rendezvous.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document ({@code /q/openapi}, as YAML and as JSON) passes Redocly CLI's {@code
 * recommended} rules without an error. The documents are written to {@code target/openapi/}; the CLI
 * is the one the system property {@code redocly} names, else {@code redocly} on the PATH (.ci/run
 * installs the pinned version); without either the test is skipped.
 */
@QuarkusTest
class OpenApiLintTest {

    private static final Path OUT = Path.of("target", "openapi");

    @Test
    void theServedDocumentPassesTheRecommendedRules() throws IOException, InterruptedException {
        String cli = redocly();
        Assumptions.assumeTrue(cli != null, "Redocly CLI is not installed (-Dredocly=<path> or redocly on the PATH)");
        Files.createDirectories(OUT);
        Path yaml = served("yaml", OUT.resolve("openapi.yaml"));
        Path json = served("json", OUT.resolve("openapi.json"));

        List<String> command = new ArrayList<>(List.of(cli, "lint", "--extends=recommended", "--format=stylish"));
        command.add(yaml.toString());
        command.add(json.toString());
        Path log = OUT.resolve("lint.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // No usage report, no update check (this runs offline too), no colour codes in the log.
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        builder.environment().put("NO_COLOR", "1");
        Process lint = builder.start();
        if (!lint.waitFor(2, TimeUnit.MINUTES)) {
            lint.destroyForcibly();
            throw new AssertionError("redocly lint did not finish within 2 minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, lint.exitValue(), "redocly lint reports errors:\n" + output);
    }

    private static Path served(String format, Path file) throws IOException {
        String document = RestAssured.given()
                .queryParam("format", format)
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return Files.writeString(file, document, StandardCharsets.UTF_8);
    }

    /** The CLI from -Dredocly, else the first executable {@code redocly} on the PATH; null when none. */
    private static String redocly() {
        String configured = System.getProperty("redocly");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "redocly");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
