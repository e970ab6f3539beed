package dev.rendezvous.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One line per Redis mode of what Redis did per exchange, and for a cluster one of its CPU by primary. */
final class RedisTable {

    /** Commands shown per mode, most time first; results.json has all of them. */
    private static final int COMMANDS = 8;

    private RedisTable() {}

    static void append(Benchmark.Report report, StringBuilder out) {
        boolean any = report.modes().stream().anyMatch(mode -> mode.exchanges().redis() != null);
        if (!any) {
            return;
        }
        out.append(String.format(
                Locale.ROOT,
                "%nRedis per exchange, measured window, over all nodes (INFO commandstats: calls × Redis's µs;"
                        + " commands run by a script count under their own names too. INFO stats: reads of"
                        + " commands from and writes of replies to client connections)%n"));
        for (Benchmark.ModeResult mode : report.modes()) {
            RedisFigures redis = mode.exchanges().redis();
            if (redis == null) {
                continue;
            }
            out.append(mode.mode())
                    .append(": ")
                    .append(commands(redis))
                    .append(String.format(
                            Locale.ROOT,
                            "; reads %.2f, writes %.2f%n",
                            redis.readsPerExchange(),
                            redis.writesPerExchange()));
            if (redis.nodes().size() > 1) {
                out.append(mode.mode())
                        .append(" Redis CPU by primary: ")
                        .append(nodes(redis))
                        .append('\n');
            }
        }
    }

    private static String commands(RedisFigures redis) {
        return redis.commands().entrySet().stream()
                .limit(COMMANDS)
                .map(RedisTable::command)
                .collect(Collectors.joining(", "));
    }

    private static String command(Map.Entry<String, CommandStats.PerExchange> command) {
        CommandStats.PerExchange rate = command.getValue();
        return String.format(
                Locale.ROOT,
                "%s %.2f × %.1f µs%s",
                command.getKey(),
                rate.calls(),
                rate.usec(),
                rate.failedCalls() == 0 ? "" : " (" + rate.failedCalls() + " failed)");
    }

    private static String nodes(RedisFigures redis) {
        return redis.nodes().stream()
                        .map(node -> String.format(
                                Locale.ROOT,
                                "%s %.1f µs (%.0f%%)",
                                node.node(),
                                node.cpuMicrosPerExchange(),
                                node.cpuSharePercent()))
                        .collect(Collectors.joining(", "))
                + String.format(Locale.ROOT, "; total %.1f µs", redis.cpuMicrosPerExchange());
    }
}
