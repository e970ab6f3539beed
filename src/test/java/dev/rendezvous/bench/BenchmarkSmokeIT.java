package dev.rendezvous.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Short runs of the benchmark, to check that it works (not how fast): against the packaged jar (2
 * clients, 2 s warm-up, 3 s measured, 50 held waiters, 200 retained correlations, memory mode) and
 * against the floor server; figures written under target/.
 */
class BenchmarkSmokeIT {

    @Test
    void benchmarkRunsWithoutErrorsAndWritesItsFigures() throws IOException {
        Path out = Path.of("target", "bench-smoke");
        Path json = out.resolve("results.json");
        Path chart = out.resolve("benchmark.png");
        Files.deleteIfExists(json);
        Files.deleteIfExists(chart);

        Benchmark.Report report = Benchmark.run(
                new Settings(null, 0, List.of("memory"), 2, 2, 3, 50, 100, 200, 64, 1, out, chart, Map.of()));

        assertEquals(1, report.modes().size());
        Benchmark.ModeResult memory = report.modes().get(0);
        assertEquals(0, memory.errors(), () -> Benchmark.table(report));
        assertTrue(memory.exchanges().exchanges() > 0, () -> Benchmark.table(report));
        assertTrue(memory.exchanges().serverCpuMicrosPerExchange() > 0, () -> Benchmark.table(report));
        assertTrue(memory.waiters().allRegistered(), () -> Benchmark.table(report));
        assertEquals(200, memory.retained().correlations(), () -> Benchmark.table(report));
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

            Benchmark.Report report = Benchmark.run(new Settings(
                    URI.create("http://127.0.0.1:" + port + "/"),
                    floor.pid(),
                    List.of(),
                    2,
                    1,
                    2,
                    50,
                    100,
                    100,
                    64,
                    1,
                    out,
                    out.resolve("benchmark.png"),
                    Map.of()));

            Benchmark.ModeResult result = report.modes().get(0);
            assertEquals(0, result.errors(), () -> Benchmark.table(report));
            assertTrue(result.exchanges().exchanges() > 0, () -> Benchmark.table(report));
            assertTrue(result.waiters().allRegistered(), () -> Benchmark.table(report));
            assertTrue(result.waiters().heapBytesPerWaiter() > 0, () -> Benchmark.table(report));
        } finally {
            floor.destroy();
            floor.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
