package dev.rendezvous.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** CPU time, resident memory and live heap of a server process, read from {@code /proc} and {@code jcmd}. */
final class Proc {

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private Proc() {}

    /** User plus system CPU time of {@code pid} so far, in nanoseconds; -1 if it cannot be read. */
    static long cpuNanos(long pid) {
        try {
            return cpuNanosOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * User plus system CPU time so far of each JIT compiler thread of JVM {@code pid} (HotSpot names
     * them {@code C1 CompilerThread<n>} and {@code C2 CompilerThread<n>}), in nanoseconds by thread ID;
     * null if they cannot be read or the JVM has none by those names.
     */
    static Map<String, Long> jitCpuNanosByThread(long pid) {
        Map<String, Long> compilers = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        compilers.put(
                                pid + "/" + thread.getFileName(), cpuNanosOf(Files.readString(thread.resolve("stat"))));
                    }
                } catch (IOException gone) {
                    // A thread that ended between the listing and the read: HotSpot stops idle compilers.
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return compilers.isEmpty() ? null : compilers;
    }

    /**
     * CPU time the threads of {@code later} used since {@code earlier}, in nanoseconds; -1 if either is
     * unknown. By thread, since a compiler thread that HotSpot stops takes its CPU time with it.
     */
    static long increase(Map<String, Long> earlier, Map<String, Long> later) {
        if (earlier == null || later == null) {
            return -1;
        }
        long total = 0;
        for (Map.Entry<String, Long> thread : later.entrySet()) {
            total += Math.max(0, thread.getValue() - earlier.getOrDefault(thread.getKey(), 0L));
        }
        return total;
    }

    /** utime plus stime of a {@code /proc/.../stat} line, in nanoseconds. */
    private static long cpuNanosOf(String stat) {
        // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    }

    /**
     * Resident memory of {@code pid} in KiB, as its proportional share ({@code Pss}) of pages it shares
     * with other processes, so that a server of several processes (nginx's workers share its memory
     * zones) is not counted once per process; {@code VmRSS} where {@code smaps_rollup} is missing; -1
     * if neither can be read.
     */
    static long rssKiB(long pid) {
        long pss = field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
        return pss >= 0 ? pss : field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /** The kB figure of the line that starts with {@code name}; -1 if there is none. */
    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(
                            line.substring(name.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Bytes of live objects on the heap of JVM {@code pid} after a full GC, from {@code jcmd
     * GC.class_histogram} (which collects first); -1 if jcmd is not available or fails.
     */
    static long liveHeapBytes(long pid) {
        for (String line : jcmd(pid, "GC.class_histogram")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("Total")) {
                String[] parts = trimmed.split("\\s+");
                return Long.parseLong(parts[2]);
            }
        }
        return -1;
    }

    /** The output of {@code jcmd <pid> <command>}; none if jcmd failed (a failed command still exits 0). */
    static List<String> jcmd(long pid, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> line =
                new ArrayList<>(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid)));
        line.addAll(List.of(command));
        return run(line);
    }

    private static long ticksPerSecond() {
        List<String> out = run(List.of("getconf", "CLK_TCK"));
        try {
            return out.isEmpty() ? 100 : Long.parseLong(out.get(0).strip());
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static List<String> run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return List.of();
            }
            return new String(output, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
