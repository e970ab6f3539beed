package dev.rendezvous.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** The process and port chores that {@link RedisServer} and {@link Replica} share. */
final class Processes {

    /** Between two checks of a condition that is polled until a deadline. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Processes() {}

    /**
     * A loopback port that was free a moment ago: the kernel picks it, the socket is closed at once.
     * Another process may take it before the caller binds it, so callers retry on a bind failure.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Sends a signal (e.g. {@code STOP}, {@code CONT}, {@code KILL}) with the system's kill command. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " did not return");
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + pid, e);
        }
    }

    /** Waits for a process to end, forcibly after {@code grace}; it has ended when this returns. */
    static void awaitExit(Process process, Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for process " + process.pid(), e);
        }
    }

    /**
     * Polls {@code done} every {@link #POLL_INTERVAL}, the first time at once, until it holds; an
     * exception it throws ends the wait. When {@code within} has passed, throws what {@code timedOut}
     * returns.
     */
    static void awaitUntil(Duration within, Callable<Boolean> done, Supplier<RuntimeException> timedOut) {
        try {
            await().atMost(within)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL_INTERVAL)
                    .until(done);
        } catch (ConditionTimeoutException e) {
            throw timedOut.get();
        }
    }

    /** A log file's text; undecodable bytes are replaced rather than failing a diagnosis. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of a log file, for failure messages. */
    static String tail(Path file, int lines) {
        List<String> all = read(file).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Registers a hook that kills the child if the test JVM ends without stopping it. */
    static Thread killOnExit(Runnable kill, String name) {
        Thread hook = new Thread(kill, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing left to undo.
        }
    }
}
