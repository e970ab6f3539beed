package dev.rendezvous.bench;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Errors of one scenario: all counted, the first few kept as samples for the report. */
final class Errors {

    private static final int SAMPLES = 10;

    private final AtomicLong count = new AtomicLong();
    private final Queue<String> samples = new ConcurrentLinkedQueue<>();

    void add(String message) {
        count.incrementAndGet();
        if (samples.size() < SAMPLES) {
            samples.add(message);
        }
    }

    long count() {
        return count.get();
    }

    List<String> samples() {
        return List.copyOf(samples);
    }
}
