package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) in a process of its own, so
 * that tests can run several replicas against one Redis and crash them independently. Needs the jar
 * built first ({@code mvn package}), hence for integration tests only.
 *
 * <p>Each replica logs to {@code target/replicas/replica-<port>.log}; {@link #close()} stops it.
 */
public final class Replica implements AutoCloseable {

    private static final Path BASE_DIR = Path.of(System.getProperty("user.dir"));
    private static final Path JAR = BASE_DIR.resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path LOG_DIR = BASE_DIR.resolve("target/replicas");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int PORT_ATTEMPTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private final int port;
    private final Process process;
    private final Path logFile;
    private final Thread exitHook;

    private Replica(int port, Process process, Path logFile) {
        this.port = port;
        this.process = process;
        this.logFile = logFile;
        this.exitHook = Processes.killOnExit(process::destroyForcibly, "replica-" + port + "-reaper");
    }

    /**
     * Launches the packaged application with each entry of {@code config} as a {@code -Dkey=value}
     * system property and returns once {@code /q/health/ready} answers 200.
     *
     * @throws IllegalStateException with the log's tail if it exits or is not ready within 60 s
     */
    public static Replica start(Map<String, String> config) {
        return start(config, JvmRuntime.current());
    }

    /** As {@link #start(Map)}, on {@code runtime}. */
    public static Replica start(Map<String, String> config, JvmRuntime runtime) {
        if (config.containsKey("quarkus.http.port")) {
            throw new IllegalArgumentException("the replica picks its own quarkus.http.port");
        }
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: package the application first");
        }
        for (int attempt = 1; ; attempt++) {
            Replica replica = launch(Processes.freePort(), config, runtime);
            try {
                replica.awaitReady();
                return replica;
            } catch (PortTaken e) {
                replica.stop();
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            } catch (RuntimeException | Error e) {
                replica.stop();
                throw e;
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/}, to resolve API paths against. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}, as in a crash: no shutdown hooks, no graceful close of waiters. */
    public void kill9() {
        if (process.isAlive()) {
            Processes.signal(process.pid(), "9");
            Processes.awaitExit(process, Duration.ofSeconds(10));
        }
        Processes.removeHook(exitHook);
    }

    /** A graceful stop (SIGTERM), forced after 10 s. Safe to call twice. */
    public void stop() {
        if (process.isAlive()) {
            process.destroy();
            Processes.awaitExit(process, Duration.ofSeconds(10));
        }
        Processes.removeHook(exitHook);
    }

    @Override
    public void close() {
        stop();
    }

    /** Everything the replica wrote to stdout and stderr so far. */
    public String log() {
        return Processes.read(logFile);
    }

    @Override
    public String toString() {
        return "Replica[" + baseUri() + ", pid " + process.pid() + "]";
    }

    private static Replica launch(int port, Map<String, String> config, JvmRuntime runtime) {
        List<String> command = new ArrayList<>();
        command.add(runtime.java().toString());
        // The options the image ships with, so that tests and the benchmark run the JVM as it is deployed.
        command.addAll(runtime.launchOptions());
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(JAR.toString());
        Path logFile = LOG_DIR.resolve("replica-" + port + ".log");
        try {
            Files.createDirectories(LOG_DIR);
            Process process = new ProcessBuilder(command)
                    .directory(BASE_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.to(logFile.toFile()))
                    .start();
            return new Replica(port, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + JAR, e);
        }
    }

    private void awaitReady() {
        URI ready = baseUri().resolve("q/health/ready");
        Processes.awaitUntil(
                READY_TIMEOUT,
                () -> {
                    if (!process.isAlive()) {
                        String message = "replica on port " + port + " exited with " + process.exitValue() + ":\n"
                                + Processes.tail(logFile, 40);
                        throw log().contains("already in use")
                                ? new PortTaken(message)
                                : new IllegalStateException(message);
                    }
                    return answers200(ready);
                },
                () -> new IllegalStateException("replica on port " + port + " not ready within " + READY_TIMEOUT + ":\n"
                        + Processes.tail(logFile, 40)));
    }

    private static boolean answers200(URI uri) {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a replica", e);
        }
    }

    /** The replica could not bind its port: another process took it after the probe. */
    private static final class PortTaken extends RuntimeException {

        PortTaken(String message) {
            super(message);
        }
    }
}
