package dev.rendezvous.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests of the benchmark over HTTP/1.1 with a Vert.x client: non-blocking, so that a few event
 * loops drive thousands of concurrent requests and the client leaves the cores to the server.
 *
 * <p>One client per scenario, with a pool big enough that no request ever waits for a connection
 * (that wait would be counted as server latency); close it when the scenario ends.
 */
final class BenchClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY_TYPE = "application/octet-stream";
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long REQUEST_IDLE_MILLIS = 30_000;

    /**
     * The protocol spoken, so that a peer is measured by the same client in the same way: this
     * service's; a piping-server's (a receiver's {@code GET /<path>} waits for a sender's {@code POST
     * /<path>}, whose answer comes once the receiver has the body); or Nchan's (a long-poll subscriber's
     * {@code GET /sub/<id>}, a publisher's {@code POST /pub/<id>}). A peer has nothing to create: the
     * path names the exchange.
     */
    enum Api {
        RENDEZVOUS("q/metrics", "(?m)^rendezvous_waiting\\{[^}]*kind=\"long-poll\"[^}]*} ([0-9.E+]+)"),
        PIPING(null, null),
        NCHAN("nchan_status", "(?m)^subscribers: ([0-9]+)");

        private final String heldPath;
        private final Pattern held;

        /**
         * @param heldPath where the server tells how many long-polls it holds; null where it does not
         * @param held the figure in the text at {@code heldPath}
         */
        Api(String heldPath, String held) {
            this.heldPath = heldPath;
            this.held = held == null ? null : Pattern.compile(held);
        }

        /** Its name in {@code bench.peer}, {@code bench.modes}, the report and the JSON. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        String waitPath(String id, int waitSeconds) {
            return switch (this) {
                case RENDEZVOUS -> "v1/correlations/" + id + "/result?wait=" + waitSeconds + "&consume=true";
                case PIPING -> id;
                case NCHAN -> "sub/" + id;
            };
        }

        String deliverPath(String id) {
            return switch (this) {
                case RENDEZVOUS -> "v1/correlations/" + id + "/result";
                case PIPING -> id;
                case NCHAN -> "pub/" + id;
            };
        }

        /**
         * Whether {@code status} answers a delivery that was taken: 204 here, 200 from a piping-server,
         * 201 from Nchan with a subscriber (202 without one: the message waits for it).
         */
        boolean delivered(int status) {
            return switch (this) {
                case RENDEZVOUS -> status == 204;
                case PIPING -> status == 200;
                case NCHAN -> status == 201 || status == 202;
            };
        }

        /** Where the server tells how many long-polls it holds; null where it does not (piping-server). */
        String heldPath() {
            return heldPath;
        }

        /** The long-polls held, read from the text at {@link #heldPath()}; -1 if it does not say. */
        double held(String text) {
            Matcher matcher = held.matcher(text);
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
        }
    }

    /** A correlation as far as the benchmark needs it, with the body its worker will deliver. */
    record Correlation(String id, String token, byte[] body) {}

    /** A whole answer, read into memory. */
    record Answer(int status, String contentType, byte[] body) {}

    private final HttpClient http;
    private final Api api;

    /** @param connections the most connections held to one server at once */
    BenchClient(Vertx vertx, int connections) {
        this(vertx, connections, Api.RENDEZVOUS);
    }

    BenchClient(Vertx vertx, int connections, Api api) {
        this.api = api;
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setPipelining(false)
                .setConnectTimeout((int) CONNECT_TIMEOUT_MILLIS);
        // An unbounded wait queue: a pool that is too small shows as latency, not as an error.
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1);
        this.http = vertx.createHttpClient(options, pool);
    }

    /** Creates the correlation; a peer has nothing to create, its path is the ID. */
    Future<Correlation> create(URI base, String id, byte[] body) {
        if (api != Api.RENDEZVOUS) {
            return Future.succeededFuture(new Correlation(id, null, body));
        }
        Buffer json = Buffer.buffer("{\"id\":\"" + id + "\"}");
        return send(
                        options(HttpMethod.POST, base, "v1/correlations", REQUEST_IDLE_MILLIS)
                                .putHeader("Content-Type", "application/json"),
                        json,
                        null)
                .compose(answer -> {
                    if (answer.status() != 201) {
                        return Future.failedFuture("create " + id + " answered " + answer.status());
                    }
                    JsonNode created;
                    try {
                        created = JSON.readTree(answer.body());
                    } catch (IOException e) {
                        return Future.failedFuture(e);
                    }
                    if (!id.equals(created.path("id").asText())) {
                        return Future.failedFuture("create answered another ID: "
                                + created.path("id").asText());
                    }
                    return Future.succeededFuture(
                            new Correlation(id, created.path("callbackToken").asText(), body));
                });
    }

    /**
     * A long-poll that consumes the result. {@code onConnected} runs once the request has its
     * connection (or could not get one), so that callers can bound how many connects are in flight.
     */
    Future<Answer> await(URI base, Correlation correlation, int waitSeconds, Runnable onConnected) {
        String path = api.waitPath(correlation.id(), waitSeconds);
        // Idle for the whole wait is normal; only silence beyond it is a failure.
        return send(options(HttpMethod.GET, base, path, waitSeconds * 1000L + REQUEST_IDLE_MILLIS), null, onConnected);
    }

    /** Delivers the correlation's body as its result; answers the status (see {@link #delivered}). */
    Future<Integer> deliver(URI base, Correlation correlation) {
        RequestOptions options = options(HttpMethod.POST, base, api.deliverPath(correlation.id()), REQUEST_IDLE_MILLIS)
                .putHeader("Content-Type", BODY_TYPE);
        if (api == Api.RENDEZVOUS) {
            options.putHeader("Authorization", "Bearer " + correlation.token());
        }
        return send(options, Buffer.buffer(correlation.body()), null).map(Answer::status);
    }

    /**
     * Opens {@code connections} connections to {@code base} at once, one health request each, which
     * then wait idle in the pool for the requests that follow. Any answer will do (the floor server
     * has no health check); only a connection that fails fails.
     */
    Future<Void> openConnections(URI base, int connections) {
        List<Future<Answer>> probes = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            probes.add(send(options(HttpMethod.GET, base, "q/health/live", REQUEST_IDLE_MILLIS), null, null));
        }
        return Future.all(probes).mapEmpty();
    }

    Api api() {
        return api;
    }

    /** Whether {@code status} answers a delivery that was taken ({@link Api#delivered}). */
    boolean delivered(int status) {
        return api.delivered(status);
    }

    /** Null if the answer is the correlation's result byte for byte, else what is wrong with it. */
    static String checkResult(Answer answer, Correlation correlation) {
        if (answer.status() != 200) {
            return "wait for " + correlation.id() + " answered " + answer.status();
        }
        if (!BODY_TYPE.equals(answer.contentType())) {
            return "wait for " + correlation.id() + " answered Content-Type "
                    + (answer.contentType() == null ? "(none)" : answer.contentType());
        }
        if (!Arrays.equals(answer.body(), correlation.body())) {
            return "wait for " + correlation.id() + " answered another body";
        }
        return null;
    }

    /** Sends a plain GET and answers its body as text, or null on any failure; blocks the caller. */
    String getText(URI base, String path) {
        try {
            Answer answer = Bulk.await(send(options(HttpMethod.GET, base, path, 10_000), null, null), 20);
            return answer.status() == 200 ? new String(answer.body(), StandardCharsets.UTF_8) : null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        try {
            Bulk.await(http.close(), 30);
        } catch (ExecutionException | TimeoutException e) {
            throw new UncheckedIOException(new IOException("could not close the benchmark client", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RequestOptions options(HttpMethod method, URI base, String path, long idleMillis) {
        return new RequestOptions()
                .setMethod(method)
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(base.getRawPath() + path)
                .setIdleTimeout(idleMillis);
    }

    private Future<Answer> send(RequestOptions options, Buffer body, Runnable onConnected) {
        Future<HttpClientRequest> requested = http.request(options);
        if (onConnected != null) {
            requested.onComplete(ignored -> onConnected.run());
        }
        return requested.compose(request -> readAnswer(body == null ? request.send() : request.send(body)));
    }

    private static Future<Answer> readAnswer(Future<HttpClientResponse> response) {
        return response.compose(r ->
                r.body().map(buffer -> new Answer(r.statusCode(), r.getHeader("Content-Type"), buffer.getBytes())));
    }
}
