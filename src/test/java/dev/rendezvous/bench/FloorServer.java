package dev.rendezvous.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floor the benchmark's figures stand on: the exchanges the benchmark makes, answered by bare
 * Vert.x (the version this service runs on) with nothing else: no validation, expiry, metrics, security
 * or persistence. {@code core} serves them from a request handler; {@code web} behind a Vert.x Web
 * router, as every HTTP request that Quarkus serves goes. Measured with {@code -Dbench.url} and
 * {@code -Dbench.pid}, it shows what the HTTP stack itself costs in CPU per exchange and heap per held
 * request. A reference for the README's figures, not a product: never run it anywhere else.
 *
 * <p>Usage: {@code FloorServer core|web <port>}.
 */
public final class FloorServer {

    private static final Pattern RESULT = Pattern.compile("/v1/correlations/([^/]+)/result");

    /** A result, or the requests waiting for one; one map, one lock, as in the service. */
    private final Map<String, Object> correlations = new HashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Vertx vertx;

    /** A held long-poll and the timer that ends its wait. */
    private record Held(HttpServerRequest request, long timer) {}

    private FloorServer(Vertx vertx) {
        this.vertx = vertx;
    }

    public static void main(String[] args) throws Exception {
        boolean router = args.length > 0 && args[0].equals("web");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8090;
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        FloorServer floor = new FloorServer(vertx);
        // As Quarkus does: one server instance per event loop (2 per core), so that connections spread
        // over all of them; a delivery answers waiters on other event loops too (Vert.x hands each
        // write to the event loop of its connection).
        vertx.deployVerticle(
                        () -> new AbstractVerticle() {
                            @Override
                            public void start(Promise<Void> started) {
                                HttpServerOptions options = new HttpServerOptions()
                                        .setIdleTimeout(360)
                                        .setIdleTimeoutUnit(TimeUnit.SECONDS);
                                Handler<HttpServerRequest> handler = floor::handle;
                                if (router) {
                                    Router routes = Router.router(vertx);
                                    routes.route().handler(context -> floor.handle(context.request()));
                                    handler = routes;
                                }
                                vertx.createHttpServer(options)
                                        .requestHandler(handler)
                                        .listen(port)
                                        .<Void>mapEmpty()
                                        .onComplete(started);
                            }
                        },
                        new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        System.out.printf(
                "floor (%s) listening on %d, pid %d%n",
                router ? "web" : "core", port, ProcessHandle.current().pid());
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        Matcher result = RESULT.matcher(path);
        if (path.equals("/v1/correlations")) {
            request.body().onSuccess(body -> create(request, body));
        } else if (result.matches() && request.method().name().equals("GET")) {
            await(request, result.group(1));
        } else if (result.matches()) {
            request.body().onSuccess(body -> deliver(request, result.group(1), body));
        } else if (path.equals("/q/metrics")) {
            request.response().end("rendezvous_waiting{kind=\"long-poll\"} " + waiting() + "\n");
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void create(HttpServerRequest request, Buffer body) {
        String id = new JsonObject(body).getString("id");
        String token = UUID.randomUUID().toString();
        request.response()
                .setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("id", id).put("callbackToken", token).encode());
    }

    private void await(HttpServerRequest request, String id) {
        long seconds = Math.max(1, Long.parseLong(request.getParam("wait", "0")));
        Held held = new Held(request, vertx.setTimer(TimeUnit.SECONDS.toMillis(seconds), fired -> {
            if (removeWaiter(id, request)) {
                request.response().setStatusCode(202).end();
            }
        }));
        Buffer found;
        lock.lock();
        try {
            found = correlations.get(id) instanceof Buffer stored ? stored : null;
            if (found != null) {
                correlations.remove(id);
            } else {
                waitersOf(correlations.computeIfAbsent(id, absent -> new ArrayList<Held>(1)))
                        .add(held);
            }
        } finally {
            lock.unlock();
        }
        if (found != null) {
            answer(held, found);
            return;
        }
        request.response().closeHandler(closed -> {
            vertx.cancelTimer(held.timer());
            removeWaiter(id, request);
        });
    }

    private void deliver(HttpServerRequest request, String id, Buffer body) {
        List<Held> woken = null;
        lock.lock();
        try {
            Object current = correlations.remove(id);
            if (current instanceof List<?>) {
                woken = waitersOf(current);
            } else {
                correlations.put(id, body);
            }
        } finally {
            lock.unlock();
        }
        request.response().setStatusCode(204).end();
        if (woken != null) {
            woken.forEach(waiter -> answer(waiter, body));
        }
    }

    private void answer(Held waiter, Buffer body) {
        vertx.cancelTimer(waiter.timer());
        waiter.request()
                .response()
                .putHeader("Content-Type", "application/octet-stream")
                .end(body);
    }

    @SuppressWarnings("unchecked")
    private static List<Held> waitersOf(Object entry) {
        return (List<Held>) entry;
    }

    private boolean removeWaiter(String id, HttpServerRequest request) {
        lock.lock();
        try {
            if (correlations.get(id) instanceof List<?> waiters
                    && waiters.removeIf(waiter -> ((Held) waiter).request() == request)) {
                if (waiters.isEmpty()) {
                    correlations.remove(id);
                }
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private int waiting() {
        lock.lock();
        try {
            return correlations.values().stream()
                    .mapToInt(entry -> entry instanceof List<?> waiters ? waiters.size() : 0)
                    .sum();
        } finally {
            lock.unlock();
        }
    }
}
