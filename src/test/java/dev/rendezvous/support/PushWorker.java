package dev.rendezvous.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A worker of push routes on a free loopback port, as a route's operator would write one: it checks
 * every dispatch's Standard Webhooks signature on its own (HMAC-SHA256 of {@code id.timestamp.body}
 * with the {@code whsec_} secret), then acts by path: {@code /answer} accepts and delivers {@code
 * done:<body>} through the callback URL; {@code /flaky} answers 503 twice per job, then does the
 * same; {@code /reject} answers 400; {@code /silent} never answers; {@code /unavailable} always
 * answers 503; {@code /busy} first answers 429 with {@code Retry-After: 1}, then does as {@code
 * /answer}; {@code /hold-first} never answers the first dispatch of a job, then does as {@code
 * /answer}. Every dispatch is recorded. Like a load balancer in front of replicas, {@link
 * #deliverVia} can send callbacks to another base URL than the one handed out.
 */
public final class PushWorker implements AutoCloseable {

    public static final String SECRET = "whsec_"
            + Base64.getEncoder()
                    .encodeToString("a push route's signing secret, 32b".getBytes(StandardCharsets.US_ASCII));

    private static volatile PushWorker current;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Dispatch> received = new CopyOnWriteArrayList<>();
    private final List<HttpExchange> held = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    private volatile URI deliverVia;

    private PushWorker() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static PushWorker start() {
        try {
            current = new PushWorker();
            return current;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the test worker", e);
        }
    }

    /** The worker the running application was configured with. */
    public static PushWorker current() {
        return current;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Sends callbacks to this base URL (scheme, host and port) from now on. */
    public void deliverVia(URI base) {
        deliverVia = base;
    }

    /** The dispatches of one correlation received so far, in order. */
    public List<Dispatch> dispatches(String id) {
        List<Dispatch> of = new ArrayList<>();
        for (Dispatch dispatch : received) {
            if (id.equals(dispatch.header("Rendezvous-Correlation-Id"))) {
                of.add(dispatch);
            }
        }
        return of;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Dispatch dispatch = new Dispatch(
                exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders(),
                body,
                System.nanoTime(),
                signatureIsValid(exchange, body));
        received.add(dispatch);
        String id = dispatch.header("Rendezvous-Correlation-Id");
        switch (dispatch.path()) {
            case "/answer" -> acceptAndDeliver(exchange, dispatch);
            case "/flaky" -> {
                if (tries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet() <= 2) {
                    answer(exchange, 503);
                } else {
                    acceptAndDeliver(exchange, dispatch);
                }
            }
            case "/hold-first" -> {
                if (tries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet() == 1) {
                    held.add(exchange);
                } else {
                    acceptAndDeliver(exchange, dispatch);
                }
            }
            case "/busy" -> {
                if (tries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet() == 1) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    answer(exchange, 429);
                } else {
                    acceptAndDeliver(exchange, dispatch);
                }
            }
            case "/reject" -> answer(exchange, 400);
            case "/unavailable" -> answer(exchange, 503);
            default -> held.add(exchange); // never answered, until the worker stops
        }
    }

    private void acceptAndDeliver(HttpExchange exchange, Dispatch dispatch) throws IOException {
        answer(exchange, 202);
        byte[] result =
                ("done:" + new String(dispatch.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        URI callback = URI.create(dispatch.header("Rendezvous-Callback-Url"));
        if (deliverVia != null) {
            callback = deliverVia.resolve(callback.getRawPath() + "?" + callback.getRawQuery());
        }
        HttpRequest delivery = HttpRequest.newBuilder(callback)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(result))
                .build();
        client.sendAsync(delivery, HttpResponse.BodyHandlers.discarding());
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** The Standard Webhooks check, written from the specification rather than with the service's code. */
    private static boolean signatureIsValid(HttpExchange exchange, byte[] body) {
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        if (id == null || timestamp == null || signature == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String candidate : signature.split(" ")) {
                if (candidate.startsWith("v1,")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        held.forEach(HttpExchange::close);
        server.stop(0);
        threads.shutdownNow();
    }

    /** One dispatch as the worker received it. */
    public record Dispatch(
            String path, Map<String, List<String>> headers, byte[] body, long receivedAt, boolean signed) {

        public String header(String name) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue().get(0);
                }
            }
            return null;
        }
    }
}
