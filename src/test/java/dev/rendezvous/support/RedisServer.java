package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process for tests, on a free loopback port with its own fresh
 * directory, so that tests can crash, restart, freeze and inspect the Redis the service talks to.
 * A real server rather than a fake: Redis-mode behaviour (expiry, pub/sub, AOF reload, clients
 * being cut off) is exactly what the tests need to exercise.
 *
 * <p>It only ever talks to the port it chose and checks, after the first PING, that the server
 * answering there is its own process: it never touches another Redis (such as one on 6379).
 *
 * <p>Not thread-safe: one test drives it at a time. {@link #close()} stops it and deletes its
 * directory.
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    private static final int PORT_ATTEMPTS = 3;

    private final boolean aof;
    /** Arguments after the standard ones. */
    private final List<String> extra;
    /** The {@code sentinel} directives of a Sentinel; empty for a data node. */
    private final List<String> sentinel;

    private final Path dir;
    private final Path logFile;
    private final Thread exitHook;
    private volatile Process process;
    private int port;
    private boolean paused;

    private RedisServer(boolean aof, List<String> extra, List<String> sentinel) throws IOException {
        this.aof = aof;
        this.extra = extra;
        this.sentinel = sentinel;
        this.dir = Files.createTempDirectory("rendezvous-redis-");
        this.logFile = dir.resolve("redis.log");
        this.exitHook = Processes.killOnExit(this::killQuietly, "redis-server-reaper");
    }

    /** A server without persistence: a {@link #restart()} comes back empty. */
    public static RedisServer start() {
        return start(false);
    }

    /**
     * A server with an append-only file fsynced on every write ({@code appendfsync always}), so that
     * whatever was acknowledged before a {@link #kill()} is back after {@link #restart()}.
     */
    public static RedisServer startWithAof() {
        return start(true);
    }

    /** A replica of {@code primary}, without persistence. */
    public static RedisServer startReplicaOf(RedisServer primary) {
        return start(false, List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())), List.of());
    }

    /** A node with cluster support, its cluster state in its own directory; not yet part of a cluster. */
    public static RedisServer startClusterNode() {
        return start(
                false,
                List.of(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "2000"),
                List.of());
    }

    /**
     * A Sentinel ({@code redis-server --sentinel}) that monitors {@code primary} as {@code masterName},
     * with a quorum of one, {@code downAfter} before it calls the primary down and a failover timeout
     * of 3 s.
     */
    public static RedisServer startSentinel(String masterName, RedisServer primary, Duration downAfter) {
        return start(
                false,
                List.of(),
                List.of(
                        "monitor " + masterName + " 127.0.0.1 " + primary.port() + " 1",
                        "down-after-milliseconds " + masterName + " " + downAfter.toMillis(),
                        "failover-timeout " + masterName + " 3000"));
    }

    private static RedisServer start(boolean aof) {
        return start(aof, List.of(), List.of());
    }

    private static RedisServer start(boolean aof, List<String> extra, List<String> sentinel) {
        RedisServer server;
        try {
            server = new RedisServer(aof, extra, sentinel);
        } catch (IOException e) {
            throw new UncheckedIOException("no directory for redis-server", e);
        }
        try {
            server.launchOnFreePort();
            return server;
        } catch (RuntimeException | Error e) {
            server.stop();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The value for {@code quarkus.redis.hosts}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** The server's output since it was first started, restarts included. */
    public String log() {
        return Processes.read(logFile);
    }

    /**
     * Sends one command on a fresh connection and returns the reply: a {@link String} (simple or bulk
     * string), a {@link Long} (integer), a {@link List} of these (array) or {@code null} (nil).
     *
     * @throws ErrorReply when Redis answers with an error
     * @throws UncheckedIOException when Redis cannot be reached or does not answer within 5 s
     */
    public Object command(String... args) {
        return command(COMMAND_TIMEOUT, args);
    }

    /** {@link #command(String...)} with its own connect and read timeout, e.g. to probe a paused server. */
    public Object command(Duration timeout, String... args) {
        return Resp.command(port, timeout, args);
    }

    /** The number that an {@code INFO} answer gives for {@code field}, if it gives one. */
    public static OptionalLong infoNumber(Object info, String field) {
        String prefix = field + ":";
        return String.valueOf(info)
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToLong(
                        line -> Long.parseLong(line.substring(prefix.length()).strip()))
                .findFirst();
    }

    /** SIGKILL, as in a crash: nothing is flushed beyond what the fsync policy already wrote. */
    public void kill() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            Processes.awaitExit(current, Duration.ofSeconds(10));
        }
        paused = false;
    }

    /**
     * Starts the server again on the same port and directory, so an AOF written before is reloaded;
     * a server still running is killed first. Returns once it answers PING.
     */
    public void restart() {
        kill();
        launch();
    }

    /** Freezes the server with SIGSTOP: connections still open, but nothing is answered. */
    public void pause() {
        Processes.signal(pid(), "STOP");
        paused = true;
    }

    /** Thaws a {@link #pause()}d server with SIGCONT. */
    public void resume() {
        Processes.signal(pid(), "CONT");
        paused = false;
    }

    /** Cuts off every client in subscriber mode, as a network blip would; returns how many. */
    public long killPubSubClients() {
        return (Long) command("CLIENT", "KILL", "TYPE", "pubsub");
    }

    /**
     * Deletes every key matching a glob pattern (e.g. {@code "rendezvous:*"}) behind the service's
     * back, to simulate lost state; returns how many were deleted.
     */
    public long deleteKeys(String pattern) {
        long deleted = 0;
        String cursor = "0";
        do {
            List<?> page = (List<?>) command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) page.get(0);
            List<?> keys = (List<?>) page.get(1);
            if (!keys.isEmpty()) {
                List<String> del = new ArrayList<>(keys.size() + 1);
                del.add("DEL");
                keys.forEach(key -> del.add((String) key));
                deleted += (Long) command(del.toArray(String[]::new));
            }
        } while (!"0".equals(cursor));
        return deleted;
    }

    /** Shuts the server down without saving, then deletes its directory. Safe to call twice. */
    public void stop() {
        Process current = process;
        if (current != null && current.isAlive()) {
            if (paused) {
                resume();
            }
            try {
                command(Duration.ofSeconds(2), "SHUTDOWN", "NOSAVE");
            } catch (UncheckedIOException | ErrorReply expected) {
                // A successful SHUTDOWN closes the connection without a reply.
            }
            current.destroy();
            Processes.awaitExit(current, Duration.ofSeconds(5));
        }
        Processes.removeHook(exitHook);
        deleteDirectory();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "RedisServer[" + url() + (aof ? ", aof" : "") + ", " + dir + "]";
    }

    private void launchOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = Processes.freePort();
            try {
                launch();
                return;
            } catch (PortTaken e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage() + " (" + attempt + " attempts)", e);
                }
            }
        }
    }

    private void launch() {
        if (!sentinel.isEmpty()) {
            launchSentinel();
            return;
        }
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                aof ? "yes" : "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                // A replica syncs at once rather than after Redis's 5 s wait for others to join.
                "--repl-diskless-sync-delay",
                "0"));
        if (aof) {
            command.addAll(List.of("--appendfsync", "always"));
        }
        command.addAll(extra);
        run(command);
    }

    /** A Sentinel keeps its state in its configuration file, so it is given one. */
    private void launchSentinel() {
        List<String> lines = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "dir " + dir));
        sentinel.forEach(line -> lines.add("sentinel " + line));
        Path conf = dir.resolve("sentinel.conf");
        try {
            Files.write(conf, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + conf, e);
        }
        run(List.of(BINARY.toString(), conf.toString(), "--sentinel"));
    }

    private void run(List<String> command) {
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + BINARY, e);
        }
        awaitOwnPing();
    }

    /** Polls PING until this process answers; a process that dies first most likely lost its port. */
    private void awaitOwnPing() {
        Processes.awaitUntil(
                START_TIMEOUT,
                () -> {
                    if (!process.isAlive()) {
                        throw new PortTaken("redis-server on port " + port + " exited with " + process.exitValue()
                                + ":\n" + Processes.tail(logFile, 20));
                    }
                    return answersPing();
                },
                () -> {
                    kill();
                    return new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                            + START_TIMEOUT + ":\n" + Processes.tail(logFile, 20));
                });
        if (!answeringProcessIsOurs()) {
            kill();
            throw new PortTaken("another Redis answers on port " + port);
        }
    }

    private boolean answersPing() {
        try {
            return "PONG".equals(command(PING_TIMEOUT, "PING"));
        } catch (UncheckedIOException | ErrorReply notYet) {
            return false; // not listening yet, or still loading its AOF
        }
    }

    private boolean answeringProcessIsOurs() {
        String info = (String) command(PING_TIMEOUT, "INFO", "server");
        return info.lines().anyMatch(line -> line.strip().equals("process_id:" + process.pid()));
    }

    private void killQuietly() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
        }
    }

    private void deleteDirectory() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /** An error reply from Redis ({@code -ERR ...}); its message is the reply's text. */
    public static final class ErrorReply extends RuntimeException {

        public ErrorReply(String message) {
            super(message);
        }
    }

    /** The server could not have the port: another process took it between the probe and the bind. */
    private static final class PortTaken extends RuntimeException {

        PortTaken(String message) {
            super(message);
        }
    }
}
