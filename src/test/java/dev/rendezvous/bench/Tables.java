package dev.rendezvous.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The benchmark's figures as the tables it prints, one per scenario, then errors and log lines. */
final class Tables {

    private Tables() {}

    static String of(Benchmark.Report report) {
        StringBuilder out = new StringBuilder();
        boolean service = report.modes().stream().anyMatch(mode -> mode.retained() != null);
        boolean peer = report.modes().stream().anyMatch(mode -> mode.retained() == null);
        out.append(
                service
                        ? "Exchanges (create, wait, deliver, receive" + (peer ? "; a peer: wait, send, receive)" : ")")
                        : "Exchanges (wait, send, receive)");
        out.append(String.format(
                Locale.ROOT,
                ", %s clients, %s s after a warm-up of at least %s s,"
                        + " longer while the service's JIT compilers work%n",
                report.settings().get("clients"),
                report.settings().get("seconds"),
                report.settings().get("warmupSeconds")));
        out.append(String.format(
                Locale.ROOT,
                "| %-13s | %11s | %8s | %8s | %8s | %8s | %6s | %13s | %10s | %13s | %13s | %12s | %8s | %9s |%n",
                "mode",
                "exchanges/s",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "max ms",
                "errors",
                "server CPU µs",
                "of it JIT",
                "redis CPU µs",
                "client CPU µs",
                "server alloc",
                "RSS MiB",
                "warm-up s"));
        for (Benchmark.ModeResult mode : report.modes()) {
            ExchangeScenario.Result x = mode.exchanges();
            out.append(String.format(
                    Locale.ROOT,
                    "| %-13s | %11.0f | %8.2f | %8.2f | %8.2f | %8.2f | %6d | %13s | %10s | %13s | %13s | %12s | %8s | %9.0f |%n",
                    mode.mode(),
                    x.exchangesPerSecond(),
                    x.p50Micros() / 1000.0,
                    x.p90Micros() / 1000.0,
                    x.p99Micros() / 1000.0,
                    x.maxMicros() / 1000.0,
                    x.errors(),
                    known(x.serverCpuMicrosPerExchange()),
                    known(x.jitCpuMicrosPerExchange()),
                    known(x.redisCpuMicrosPerExchange()),
                    known(x.clientCpuMicrosPerExchange()),
                    x.serverAllocatedBytesPerExchange() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%,.0f B", x.serverAllocatedBytesPerExchange()),
                    x.serverRssKiB() < 0 ? "-" : Long.toString(x.serverRssKiB() / 1024),
                    x.warmedUpSeconds()));
        }
        RedisTable.append(report, out);
        if (report.modes().stream().anyMatch(mode -> mode.waiters() != null)) {
            waitersAndRetained(report, out);
        }
        for (Benchmark.ModeResult mode : report.modes()) {
            List<String> samples = new ArrayList<>(mode.exchanges().errorSamples());
            if (mode.cold() != null) {
                samples.addAll(mode.cold().errorSamples());
            }
            if (mode.waiters() != null) {
                samples.addAll(mode.waiters().errorSamples());
            }
            if (mode.retained() != null) {
                samples.addAll(mode.retained().errorSamples());
            }
            samples.forEach(sample ->
                    out.append(mode.mode()).append(" error: ").append(sample).append('\n'));
            mode.serverLogComplaints().stream()
                    .limit(10)
                    .forEach(line -> out.append(mode.mode())
                            .append(" server log: ")
                            .append(line)
                            .append('\n'));
        }
        return out.toString();
    }

    private static void waitersAndRetained(Benchmark.Report report, StringBuilder out) {
        if (report.modes().stream().anyMatch(mode -> mode.cold() != null)) {
            waiters(
                    report,
                    Benchmark.ModeResult::cold,
                    "Cold start: held waiters right after the service started, then delivered at a fixed rate",
                    out);
        }
        // A peer runs no retained scenario, and the held waiters only where it counts them.
        waiters(
                report,
                Benchmark.ModeResult::waiters,
                "Held waiters, then delivered at a fixed rate (delivery latency: send of a result to its"
                        + " waiter's answer; in redis-2 and redis-cluster the cross-replica wake-up)",
                out);
        // A peer runs no retained scenario.
        if (report.modes().stream().allMatch(mode -> mode.retained() == null)) {
            return;
        }
        out.append(String.format(
                Locale.ROOT,
                "%nRetained: completed correlations nobody consumed (live heap after a full GC, all"
                        + " instances; Redis used_memory)%n"));
        out.append(String.format(
                Locale.ROOT,
                "| %-13s | %12s | %6s | %7s | %18s | %19s | %5s | %17s | %6s |%n",
                "mode",
                "correlations",
                "body B",
                "setup s",
                "heap B/correlation",
                "Redis B/correlation",
                "store",
                "store B over body",
                "errors"));
        for (Benchmark.ModeResult mode : report.modes()) {
            RetainedScenario.Result r = mode.retained();
            if (r == null) {
                continue;
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %-13s | %12d | %6d | %7.2f | %18s | %19s | %5s | %17s | %6d |%n",
                    mode.mode(),
                    r.correlations(),
                    r.bodyBytes(),
                    r.setupSeconds(),
                    r.retainedHeapBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.heapBytesPerCorrelation()),
                    known(r.redisBytesPerCorrelation()),
                    r.store(),
                    r.retainedHeapBytes() < 0 && r.retainedRedisBytes() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.0f", r.storeBytesOverBody()),
                    r.errors()));
        }
    }

    private static void waiters(
            Benchmark.Report report,
            Function<Benchmark.ModeResult, WaiterScenario.Result> scenario,
            String title,
            StringBuilder out) {
        out.append(String.format(Locale.ROOT, "%n%s%n", title));
        out.append(String.format(
                Locale.ROOT,
                "| %-13s | %-21s | %7s | %6s | %10s | %12s | %13s | %15s | %8s | %8s | %8s | %8s | %7s | %14s | %6s |%n",
                "mode",
                "delivery latency",
                "waiters",
                "rate/s",
                "register s",
                "RSS B/waiter",
                "heap B/waiter",
                "drained Δheap B",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "max ms",
                "drain s",
                "CPU µs/delivery",
                "errors"));
        for (Benchmark.ModeResult mode : report.modes()) {
            WaiterScenario.Result w = scenario.apply(mode);
            if (w == null) {
                continue;
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %-13s | %-21s | %7d | %6d | %10.2f | %12s | %13s | %15s | %8.2f | %8.2f | %8.2f | %8.2f | %7.2f"
                            + " | %14s | %6d |%n",
                    mode.mode(),
                    w.deliveryLatency(),
                    w.waiters(),
                    w.rate(),
                    w.registerSeconds(),
                    w.heldRssKiB() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", w.rssBytesPerWaiter()),
                    w.heldHeapBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", w.heapBytesPerWaiter()),
                    w.drainedHeapBytes() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%+d", w.drainedHeapOverBaselineBytes()),
                    w.p50Micros() / 1000.0,
                    w.p90Micros() / 1000.0,
                    w.p99Micros() / 1000.0,
                    w.maxMicros() / 1000.0,
                    w.drainSeconds(),
                    known(w.cpuMicrosPerDelivery()),
                    w.errors()));
        }
    }

    private static String known(double value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }
}
