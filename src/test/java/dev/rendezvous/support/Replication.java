package dev.rendezvous.support;

import java.time.Duration;

/** Waits for Redis replication to be in the state a test needs. */
public final class Replication {

    private Replication() {}

    /**
     * Returns once {@code primary} has {@code replicas} replicas online, as a new connection's
     * {@code WAIT} counts them. A replica that has just synchronised may still take up to a second
     * (its first acknowledgement) before it confirms the next write: 915 ms in one of ten tries here.
     */
    public static void awaitCounted(RedisServer primary, int replicas) {
        Processes.awaitUntil(
                Duration.ofSeconds(10),
                () -> Long.valueOf(replicas).equals(primary.command("WAIT", Integer.toString(replicas), "100")),
                () -> new IllegalStateException(
                        "WAIT does not count " + replicas + " replicas of " + primary + ":\n" + primary.log()));
    }
}
