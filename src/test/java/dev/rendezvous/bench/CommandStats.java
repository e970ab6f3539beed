package dev.rendezvous.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Redis's own count of the commands it ran ({@code INFO commandstats}), summed over nodes. Commands
 * a script runs count under their own names as well, and their time within the script's too, so the
 * times by command do not add up to Redis's CPU.
 */
record CommandStats(Map<String, Command> commands) {

    /** Calls, microseconds and failed or rejected calls of one command since the stats were reset. */
    record Command(long calls, long usec, long failedCalls) {

        Command plus(Command other) {
            return new Command(calls + other.calls, usec + other.usec, failedCalls + other.failedCalls);
        }
    }

    /** Calls and microseconds of one command per exchange; failed or rejected calls in all. */
    record PerExchange(double calls, double usec, long failedCalls) {}

    private static final String PREFIX = "cmdstat_";

    static CommandStats none() {
        return new CommandStats(Map.of());
    }

    /** The figures of an {@code INFO commandstats} answer, e.g. {@code cmdstat_evalsha:calls=3,usec=40,...}. */
    static CommandStats parse(Object info) {
        Map<String, Command> commands = new TreeMap<>();
        String.valueOf(info).lines().map(String::strip).forEach(line -> {
            int colon = line.indexOf(':');
            if (line.startsWith(PREFIX) && colon > 0) {
                Map<String, String> fields = fields(line.substring(colon + 1));
                commands.merge(
                        line.substring(PREFIX.length(), colon),
                        new Command(
                                number(fields, "calls"),
                                number(fields, "usec"),
                                number(fields, "failed_calls") + number(fields, "rejected_calls")),
                        Command::plus);
            }
        });
        return new CommandStats(commands);
    }

    CommandStats plus(CommandStats other) {
        Map<String, Command> sum = new TreeMap<>(commands);
        other.commands.forEach((name, command) -> sum.merge(name, command, Command::plus));
        return new CommandStats(sum);
    }

    /** Per exchange, most time first; {@code ignored} are the benchmark's own commands. */
    Map<String, PerExchange> perExchange(long exchanges, Set<String> ignored) {
        Map<String, PerExchange> rates = new LinkedHashMap<>();
        if (exchanges <= 0) {
            return rates;
        }
        commands.entrySet().stream()
                .filter(command -> !ignored.contains(command.getKey()))
                .sorted(Comparator.comparingLong((Map.Entry<String, Command> command) -> command.getValue().usec)
                        .reversed())
                .forEach(command -> rates.put(
                        command.getKey(),
                        new PerExchange(
                                command.getValue().calls / (double) exchanges,
                                command.getValue().usec / (double) exchanges,
                                command.getValue().failedCalls)));
        return rates;
    }

    private static Map<String, String> fields(String list) {
        Map<String, String> fields = new TreeMap<>();
        for (String field : list.split(",")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        return fields;
    }

    private static long number(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }
}
