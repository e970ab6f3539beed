package dev.rendezvous.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.support.JvmRuntime;
import dev.rendezvous.support.PeerServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Short runs of the benchmark, to check that it works (not how fast): against the packaged jar (2
 * clients, 2 s warm-up, 3 s measured, 50 held waiters, 200 retained correlations, memory mode) and
 * against the floor server, and against a stand-in for a piping-server as a peer; figures written
 * under target/.
 */
class BenchmarkSmokeIT {

    @Test
    void benchmarkRunsWithoutErrorsAndWritesItsFigures() throws IOException {
        Path out = Path.of("target", "bench-smoke");
        Path json = out.resolve("results.json");
        Path chart = out.resolve("benchmark.png");
        Files.deleteIfExists(json);
        Files.deleteIfExists(chart);

        Benchmark.Report report = Benchmark.run(new Settings(
                null,
                0,
                BenchClient.Api.RENDEZVOUS,
                List.of("memory"),
                2,
                2,
                3,
                50,
                20,
                100,
                200,
                64,
                1,
                out,
                chart,
                JvmRuntime.current(),
                0,
                Map.of()));

        assertEquals(1, report.modes().size());
        Benchmark.ModeResult memory = report.modes().get(0);
        assertEquals(0, memory.errors(), () -> Tables.of(report));
        assertTrue(memory.exchanges().exchanges() > 0, () -> Tables.of(report));
        assertTrue(memory.exchanges().serverCpuMicrosPerExchange() > 0, () -> Tables.of(report));
        // Three requests and their answers cannot take less than a few kilobytes of heap, nor a megabyte.
        assertThat(
                Tables.of(report),
                memory.exchanges().serverAllocatedBytesPerExchange(),
                allOf(greaterThan(2_000.0), lessThan(1_000_000.0)));
        assertTrue(memory.waiters().allRegistered(), () -> Tables.of(report));
        assertTrue(memory.cold().allRegistered(), () -> Tables.of(report));
        assertEquals(20, memory.cold().waiters(), () -> Tables.of(report));
        assertEquals(200, memory.retained().correlations(), () -> Tables.of(report));
        assertTrue(Files.readString(json).contains("\"heapBytesPerCorrelation\""));
        assertTrue(Files.readString(json).contains("\"exchangesPerSecond\""));
        assertTrue(Files.size(chart) > 1000);
        byte[] png = Files.readAllBytes(chart);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void floorServerAnswersEveryScenarioOfTheBenchmark() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process floor = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        FloorServer.class.getName(),
                        "web",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(floor.getInputStream(), UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.contains("listening")) {
                // Vert.x may log before the floor is listening.
            }
            assertTrue(line != null, "the floor server ended before listening");
            Path out = Path.of("target", "bench-smoke-floor");

            Benchmark.Report report = Benchmark.run(briefly(
                    URI.create("http://127.0.0.1:" + port + "/"), floor.pid(), BenchClient.Api.RENDEZVOUS, out));

            Benchmark.ModeResult result = report.modes().get(0);
            assertEquals(0, result.errors(), () -> Tables.of(report));
            assertTrue(result.exchanges().exchanges() > 0, () -> Tables.of(report));
            assertTrue(result.waiters().allRegistered(), () -> Tables.of(report));
            assertTrue(result.waiters().heapBytesPerWaiter() > 0, () -> Tables.of(report));
        } finally {
            floor.destroy();
            floor.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void measuresAPipingPeerByItsExchangesAlone() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer peer = PipingStandIn.listen(vertx);
            Path out = Path.of("target", "bench-smoke-peer");
            Path chart = out.resolve("benchmark.png");
            Files.deleteIfExists(chart);
            Files.deleteIfExists(out.resolve("results.json"));

            Benchmark.Report report = Benchmark.run(
                    briefly(URI.create("http://127.0.0.1:" + peer.actualPort() + "/"), 0, BenchClient.Api.PIPING, out));

            Benchmark.ModeResult result = report.modes().get(0);
            assertEquals("piping", result.mode());
            assertEquals(0, result.errors(), () -> Tables.of(report));
            assertTrue(result.exchanges().exchanges() > 0, () -> Tables.of(report));
            assertEquals(null, result.waiters());
            assertTrue(Files.readString(out.resolve("results.json")).contains("\"peer\" : \"piping\""));
            assertTrue(Files.notExists(chart), "a peer's run leaves the chart alone");
        } finally {
            Bulk.await(vertx.close(), 10);
        }
    }

    @Test
    void measuresNchanBesideTheServiceInOneRun() throws IOException {
        // .ci/run installs nginx and the module; elsewhere the test needs them too, or says why it cannot run.
        if (System.getenv("CI") == null) {
            assumeTrue(PeerServer.nchanInstalled(), "nginx with libnginx-mod-nchan is not installed");
        }
        Path out = Path.of("target", "bench-smoke-nchan");
        Path chart = out.resolve("benchmark.png");
        Files.deleteIfExists(chart);

        Benchmark.Report report = Benchmark.run(new Settings(
                null,
                0,
                BenchClient.Api.RENDEZVOUS,
                List.of("memory", "nchan"),
                2,
                1,
                2,
                50,
                0,
                100,
                100,
                64,
                1,
                out,
                chart,
                JvmRuntime.current(),
                0,
                Map.of()));

        Benchmark.ModeResult nchan = report.modes().get(1);
        assertEquals("nchan", nchan.mode());
        assertEquals(0, report.modes().get(0).errors() + nchan.errors(), () -> Tables.of(report));
        assertTrue(nchan.exchanges().exchanges() > 0, () -> Tables.of(report));
        // nginx's master and workers are measured like the service's JVM.
        assertTrue(nchan.exchanges().serverCpuMicrosPerExchange() > 0, () -> Tables.of(report));
        assertTrue(nchan.exchanges().serverRssKiB() > 0, () -> Tables.of(report));
        assertTrue(nchan.waiters().allRegistered(), () -> Tables.of(report));
        // Read from /proc in 10 ms ticks: 50 deliveries may take none, but the figure is known.
        assertTrue(nchan.waiters().cpuMicrosPerDelivery() >= 0, () -> Tables.of(report));
        assertThat(Tables.of(report), containsString("| nchan "));
        assertTrue(Files.size(chart) > 1000, "the chart shows both");
    }

    /** A run of a second or two against the server at {@code url}, written under {@code out}. */
    private static Settings briefly(URI url, long pid, BenchClient.Api peer, Path out) {
        return new Settings(
                url,
                pid,
                peer,
                List.of(),
                2,
                1,
                2,
                50,
                0,
                100,
                100,
                64,
                1,
                out,
                out.resolve("benchmark.png"),
                JvmRuntime.current(),
                0,
                Map.of());
    }

    /**
     * What the benchmark needs of a piping-server: a {@code GET /<path>} waits for the {@code POST
     * /<path>} that brings its body (and Content-Type), whichever comes first, and the sender is
     * answered 200 once the receiver has it. On one event loop, so plain maps do.
     */
    private static final class PipingStandIn {

        private final Map<String, HttpServerResponse> receivers = new HashMap<>();
        private final Map<String, HttpServerRequest> senders = new HashMap<>();
        private final Map<String, Buffer> bodies = new HashMap<>();

        static HttpServer listen(Vertx vertx) throws Exception {
            PipingStandIn pipes = new PipingStandIn();
            return Bulk.await(
                    vertx.createHttpServer().requestHandler(pipes::handle).listen(0, "127.0.0.1"), 10);
        }

        private void handle(HttpServerRequest request) {
            String path = request.path();
            // As strict as piping-server where the benchmark could go wrong: one path segment, no
            // query, GET or POST, one receiver per path.
            if (request.query() != null || path.lastIndexOf('/') != 0 || path.length() < 2) {
                request.response().setStatusCode(400).end();
            } else if (request.method() == HttpMethod.GET) {
                HttpServerRequest sender = senders.remove(path);
                if (sender != null) {
                    pipe(sender, bodies.remove(path), request.response());
                } else if (receivers.putIfAbsent(path, request.response()) != null) {
                    request.response().setStatusCode(400).end();
                }
            } else if (request.method() == HttpMethod.POST) {
                request.body().onSuccess(body -> {
                    HttpServerResponse receiver = receivers.remove(path);
                    if (receiver != null) {
                        pipe(request, body, receiver);
                    } else if (senders.putIfAbsent(path, request) == null) {
                        bodies.put(path, body);
                    } else {
                        request.response().setStatusCode(400).end();
                    }
                });
            } else {
                request.response().setStatusCode(405).end();
            }
        }

        private static void pipe(HttpServerRequest sender, Buffer body, HttpServerResponse receiver) {
            receiver.putHeader("Content-Type", sender.getHeader("Content-Type"))
                    .end(body)
                    .onComplete(sent -> sender.response()
                            .setStatusCode(sent.succeeded() ? 200 : 500)
                            .end());
        }
    }
}
