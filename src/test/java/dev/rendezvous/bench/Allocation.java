package dev.rendezvous.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Heap allocated by the Java threads of the service processes over a window, from JFR's per-thread
 * allocation counters ({@code jdk.ThreadAllocationStatistics}, which JFR reads every 100 ms in the
 * service; {@code jcmd} starts and stops the recording). Bytes allocated per exchange barely move
 * between runs on a noisy machine, where CPU time per exchange moves by a fifth or more: they depend
 * on the code path, not on what else the machine does. The recording starts before the warm-up, so
 * that starting JFR (a second or two) costs the measured window nothing.
 */
final class Allocation implements AutoCloseable {

    private static final String EVENT = "jdk.ThreadAllocationStatistics";
    private static final String RECORDING = "rendezvous-bench-allocation";
    private static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="rendezvous-bench-allocation">
              <event name="jdk.ThreadAllocationStatistics">
                <setting name="enabled">true</setting>
                <setting name="period">100 ms</setting>
              </event>
            </configuration>
            """;

    private final List<Long> pids;
    private final Path dir;
    private boolean recording;

    private Allocation(List<Long> pids, Path dir) {
        this.pids = pids;
        this.dir = dir;
        this.recording = !pids.isEmpty();
    }

    /**
     * Starts recording in every JVM of {@code pids} (never a peer's process: attaching signals it, and
     * a process that is not a JVM dies of it); with none, or if any refuses, nothing is known.
     */
    static Allocation start(List<Long> pids, Path dir) {
        try {
            Path settings =
                    Files.createDirectories(dir).resolve("allocation.jfc").toAbsolutePath();
            Files.writeString(settings, SETTINGS);
            List<Long> started = new ArrayList<>();
            for (long pid : pids) {
                // jcmd answers 0 even when the command failed: only its words tell.
                boolean ok = Proc.jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=" + quoted(settings)).stream()
                        .anyMatch(line -> line.contains("Started recording"));
                if (!ok) {
                    new Allocation(started, dir).close();
                    return new Allocation(List.of(), dir);
                }
                started.add(pid);
            }
            return new Allocation(started, dir);
        } catch (IOException e) {
            return new Allocation(List.of(), dir);
        }
    }

    /**
     * Stops the recording and answers the bytes the processes' threads allocated from {@code from} to
     * {@code to} (each thread's counter at its last reading by then, so within 100 ms of either end);
     * -1 if unknown.
     */
    long stopAndCount(Instant from, Instant to) {
        if (!recording) {
            return -1;
        }
        List<Path> files = stop();
        long total = 0;
        for (Path file : files) {
            long bytes = bytesBetween(file, from, to);
            total = bytes < 0 || total < 0 ? -1 : total + bytes;
        }
        return files.size() == pids.size() ? total : -1;
    }

    /** Stops a recording that is still running, as after a failed run: never leave one in a service. */
    @Override
    public void close() {
        if (recording) {
            stop().forEach(Allocation::delete);
        }
    }

    private List<Path> stop() {
        recording = false;
        List<Path> files = new ArrayList<>();
        for (long pid : pids) {
            Path file = dir.resolve("allocation-" + pid + ".jfr").toAbsolutePath();
            Proc.jcmd(pid, "JFR.stop", "name=" + RECORDING, "filename=" + quoted(file));
            if (Files.exists(file)) {
                files.add(file);
            }
        }
        return files;
    }

    /** A path as jcmd takes it: it splits its command line at spaces. */
    private static String quoted(Path path) {
        return '"' + path.toString() + '"';
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left in the output directory; harmless.
        }
    }

    /**
     * Of one recording: the sum over threads of their counter's rise between the two moments; -1 if
     * unreadable, or if nothing was read by {@code from} (which would count all since the JVM started).
     */
    private static long bytesBetween(Path file, Instant from, Instant to) {
        Map<Long, Readings> threads = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (event.getEventType().getName().equals(EVENT)) {
                    threads.computeIfAbsent(event.getThread("thread").getId(), id -> new Readings())
                            .add(event.getStartTime(), event.getLong("allocated"), from, to);
                }
            }
        } catch (IOException e) {
            return -1;
        } finally {
            delete(file);
        }
        if (threads.values().stream().noneMatch(Readings::readBeforeWindow)) {
            return -1;
        }
        return threads.values().stream().mapToLong(Readings::rise).sum();
    }

    /**
     * One thread's counter at its last reading at or before each end of the window. A thread first
     * read after the window began started in it, and allocated all it counts there.
     */
    private static final class Readings {

        private Instant fromAt = Instant.MIN;
        private long fromBytes;
        private Instant toAt = Instant.MIN;
        private long toBytes;

        void add(Instant at, long bytes, Instant from, Instant to) {
            if (!at.isAfter(from) && !at.isBefore(fromAt)) {
                fromAt = at;
                fromBytes = bytes;
            }
            if (!at.isAfter(to) && !at.isBefore(toAt)) {
                toAt = at;
                toBytes = bytes;
            }
        }

        boolean readBeforeWindow() {
            return !fromAt.equals(Instant.MIN);
        }

        long rise() {
            return toBytes - fromBytes;
        }
    }
}
