package dev.rendezvous.edge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import dev.rendezvous.support.LogCapture;
import dev.rendezvous.support.RawHttp;
import dev.rendezvous.support.ShortDeadlinesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the HTTP codec refuses, or that this service does not serve, replayed from an outside
 * probe: each is answered with a problem document and its connection closed, and none writes more
 * than a short line to the log (no stack trace, nothing at WARN or above), the access log included.
 */
@QuarkusTest
@TestProfile(ShortDeadlinesProfile.class)
class ProtocolErrorsTest {

    private static final String TARGET = "/v1/correlations/probe-unknown";

    @RegisterExtension
    final LogCapture log = new LogCapture();

    static List<Arguments> probes() {
        return List.of(
                Arguments.of("an unknown HTTP version", "GET " + TARGET + " HTTP/9.9\r\nHost: x\r\n\r\n", 400),
                Arguments.of(
                        "an HTTP/2 preface on the cleartext port",
                        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0000\u0004\u0001\u0000\u0000\u0000\u0000",
                        400),
                Arguments.of("two Host headers", "GET " + TARGET + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("no Host header", "GET " + TARGET + " HTTP/1.1\r\n\r\n", 400),
                Arguments.of("a URI over 4 KiB", "GET /" + "u".repeat(8_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of(
                        "a 200 KB header",
                        "GET " + TARGET + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(200_000) + "\r\n\r\n",
                        431),
                Arguments.of(
                        "two different Content-Lengths",
                        "POST /v1/correlations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                        400),
                Arguments.of(
                        "both Content-Length and Transfer-Encoding",
                        "POST /v1/correlations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                        400),
                Arguments.of(
                        "a NUL in a header", "GET " + TARGET + " HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n", 400),
                Arguments.of("a CR in a header", "GET " + TARGET + " HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400),
                Arguments.of(
                        "a header without a colon", "GET " + TARGET + " HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
                Arguments.of(
                        "a TLS hello on the cleartext port",
                        "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n",
                        400),
                Arguments.of("a head that never ends", "GET " + TARGET + " HTTP/1.1\r\nHost: x\r\nX-Half: ", 408));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void answersWithAProblemAndLogsNoStackTrace(String probe, String request, int status) throws IOException {
        try (RawHttp connection = RawHttp.connect()) {
            RawHttp.Closed answer = connection.send(request).readUntilClosed();
            answer.assertProblem(status);
            assertThat(answer.after(), lessThanOrEqualTo(Duration.ofSeconds(ShortDeadlinesProfile.HEADER_SECONDS + 1)));
        }
        List<LogRecord> loud = log.records().stream()
                .filter(record ->
                        record.getThrown() != null || record.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
        assertThat(probe + " logged " + log.lines(), loud, empty());
        for (String line : log.lines()) {
            assertThat(line.length(), lessThan(300));
        }
    }

    @Test
    void namesThePathButNeverTheQueryOfARefusedRequest() throws IOException {
        try (RawHttp connection = RawHttp.connect()) {
            RawHttp.Closed answer = connection
                    .send("GET " + TARGET + "/result?token=secret-token-value HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
                    .readUntilClosed();
            answer.assertProblem(400);
            assertThat(JsonPath.from(answer.body()).getString("instance"), equalTo(TARGET + "/result"));
            assertThat(answer.text(), not(containsString("secret-token-value")));
        }
    }
}
