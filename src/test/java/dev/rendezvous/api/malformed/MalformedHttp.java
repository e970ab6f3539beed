package dev.rendezvous.api.malformed;

import static dev.rendezvous.support.Api.BASE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed HTTP itself, which the codec (Netty, under Vert.x) may refuse before the router sees the
 * request: NUL bytes in headers, bodies of unknown or over-long length, conflicting framings,
 * impossible Content-Lengths and Transfer-Encodings, broken request lines and headers, raw garbage.
 */
final class MalformedHttp extends Inputs {

    MalformedHttp(Random random, LiveCorrelations live) {
        super(random, live);
    }

    /** NUL bytes in header values: malformed HTTP, which the codec may refuse before the service. */
    void nulInHeaders() {
        String[][] headers = {
            {"Authorization: Bearer \u0000", "DELIVER"},
            {"Authorization: Bearer a\u0000b", "FAIL"},
            {"Authorization: Bearer " + live.pendingTokens.get(live.pendingIds.get(0)) + "\u0000", "HEARTBEAT"},
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
                target = path("HEARTBEAT", live.pendingIds.get(0));
            }
            String method = header[1].equals("STATUS") || header[1].equals("RESULT") ? "GET" : "POST";
            byte[] body = method.equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
            List<String> all = new ArrayList<>(List.of(header[0]));
            if (!header[0].startsWith("Content-Type") && body != null) {
                all.add("Content-Type: application/json");
            }
            add(Attempt.of("nul-header", method, target, all, body).byCodec());
        }
    }

    /** Bodies of unknown length or a declared length over max-body: refused before they are read. */
    void framing() {
        for (String endpoint : new String[] {"CREATE", "DELIVER", "FAIL", "HEARTBEAT", "STATUS"}) {
            String target = endpoint.equals("CREATE") ? BASE : path(endpoint, pending());
            String method = endpoint.equals("STATUS") ? "GET" : "POST";
            if (method.equals("GET")) {
                target = path("STATUS", unknownId());
            }
            for (String length : new String[] {"1048577", "2147483648", "9223372036854775807"}) {
                add(Attempt.of(
                                "framing",
                                method,
                                target,
                                List.of("Content-Type: application/json", "Content-Length: " + length),
                                null)
                        .expecting(413));
            }
            byte[] chunked = "2\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            add(Attempt.of(
                    "framing",
                    method,
                    target,
                    List.of("Content-Type: application/json", "Transfer-Encoding: chunked"),
                    chunked));
            // Both framings at once (a smuggling vector): the HTTP codec itself refuses it.
            add(Attempt.of(
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
            add(Attempt.of(
                    "framing",
                    method,
                    target,
                    List.of("Content-Type: application/json", "Content-Length: 5", "Authorization: Bearer x"),
                    cut));
        }
    }

    /**
     * Impossible Content-Lengths and Transfer-Encodings, broken request lines and headers, raw
     * garbage. The HTTP codec refuses much of it before the router sees the request; the edge answers
     * those with a problem too, or the connection closes when the client stopped sending. Each answer
     * is checked in full.
     */
    void brokenRequests() {
        // Unknown IDs: a malformed request the codec lets through must still not succeed.
        String target = path("STATUS", unknownId());
        String post = path("DELIVER", pending());
        List<String> plain = List.of("Content-Type: application/json", "Authorization: Bearer " + JUNK_TOKEN);
        for (String length : new String[] {
            "abc", "-1", "1.5", "0x10", "+2", "", " ", "2, 3", "2,2", "99999999999999999999", "1e3", "\uff12"
        }) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Content-Length: " + length);
            add(Attempt.of("content-length", "POST", post, headers, "{}".getBytes(StandardCharsets.UTF_8))
                    .byCodec());
        }
        for (String[] pair : new String[][] {{"2", "3"}, {"2", "2"}, {"3", "2"}, {"2", "-2"}}) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Content-Length: " + pair[0]);
            headers.add("Content-Length: " + pair[1]);
            add(Attempt.of("content-length", "POST", BASE, headers, "{}".getBytes(StandardCharsets.UTF_8))
                    .byCodec());
        }
        // A body shorter than declared, then the client stops sending.
        for (String endpoint : new String[] {"CREATE", "DELIVER", "FAIL", "HEARTBEAT"}) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Content-Length: 100");
            String path = endpoint.equals("CREATE") ? BASE : path(endpoint, pending());
            add(Attempt.of("content-length", "POST", path, headers, "{\"id\"".getBytes(StandardCharsets.UTF_8))
                    .stopSending()
                    .byCodec());
        }
        for (String encoding : new String[] {"identity", "chunked, gzip", "xchunked", "gzip", "chunked\u0000"}) {
            List<String> headers = new ArrayList<>(plain);
            headers.add("Transfer-Encoding: " + encoding);
            add(Attempt.of(
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
            add(Attempt.raw("malformed-http", request).byCodec());
        }
        // Leading control characters are skipped as empty lines; the server then rightly waits for more.
        add(Attempt.raw("malformed-http", "\u0000\u0000\u0000\u0000\r\n\r\n")
                .stopSending()
                .byCodec());
        for (int i = 0; i < 6; i++) {
            byte[] garbage = new byte[1 + random.nextInt(4096)];
            random.nextBytes(garbage);
            add(Attempt.raw("malformed-http", garbage).stopSending().byCodec());
        }
    }
}
