package dev.rendezvous.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A short run of the benchmark against the packaged jar, to check that it works (not how fast): 2
 * clients, 2 s warm-up, 3 s measured, 50 held waiters, 200 retained correlations, memory mode, figures
 * written under target/.
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
}
