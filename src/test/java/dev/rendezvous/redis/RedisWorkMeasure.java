package dev.rendezvous.redis;

import dev.rendezvous.support.Resp;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Figures for docs/redis.md, not a test of the suite (its name matches none of Surefire's default
 * patterns): the instructions a {@code redis-server} executes for each step of an exchange with the
 * service's own scripts and keys (create, long-poll read, settle, consuming read), counted by
 * callgrind, which no other load on the machine moves. 2,000 exchanges, pipelined 100 at a time as
 * lanes do under load, after 200 that warm Redis up. Needs valgrind; run it alone:
 *
 * <pre>./mvnw -B -ntp test -Dtest=RedisWorkMeasure -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class RedisWorkMeasure {

    private static final int EXCHANGES = 2_000;
    private static final int BATCH = 100;
    private static final String TOKEN = "t".repeat(43);
    private static final String BODY = "b".repeat(256);

    private final RedisKeys keys = new RedisKeys("rendezvous:");
    private final long now = System.currentTimeMillis();

    @Test
    void instructionsPerExchangeStep() throws Exception {
        Path dir = Files.createTempDirectory("redis-work-");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process redis = new ProcessBuilder(
                        "valgrind",
                        "--tool=callgrind",
                        "--callgrind-out-file=" + dir.resolve("cg.out"),
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("valgrind.log").toFile())
                .start();
        try (Socket socket = connect(port)) {
            Map<String, Function<String, List<String>>> steps = new LinkedHashMap<>();
            steps.put(
                    "create",
                    id -> List.of(
                            "EVALSHA",
                            RedisScripts.CREATE.sha1(),
                            "1",
                            keys.correlation(id),
                            Long.toString(now),
                            Long.toString(now + 60_000),
                            "60000",
                            TOKEN,
                            "-",
                            ""));
            steps.put("read", id -> List.of("HGETALL", keys.correlation(id)));
            steps.put(
                    "settle",
                    id -> List.of(
                            "EVALSHA",
                            RedisScripts.SETTLE.sha1(),
                            "1",
                            keys.correlation(id),
                            TOKEN,
                            Long.toString(now),
                            Long.toString(now + 60_000),
                            keys.settledChannel(id),
                            id,
                            "-",
                            "r",
                            BODY,
                            "-"));
            steps.put(
                    "consume",
                    id -> List.of(
                            "EVALSHA",
                            RedisScripts.CONSUME.sha1(),
                            "1",
                            keys.correlation(id),
                            "10000",
                            "-",
                            Long.toString(now)));
            for (RedisScripts.Script script : List.of(RedisScripts.CREATE, RedisScripts.SETTLE, RedisScripts.CONSUME)) {
                pipeline(socket, List.of(List.of("SCRIPT", "LOAD", script.source())));
            }
            exchanges(socket, steps, "warm-", 200);
            long total = 0;
            for (Map.Entry<String, Function<String, List<String>>> step : steps.entrySet()) {
                long before = instructions(redis, dir);
                run(socket, step.getValue(), "measured-", EXCHANGES);
                long spent = instructions(redis, dir) - before;
                total += spent;
                System.out.printf("%-8s %,9d instructions per exchange%n", step.getKey(), spent / EXCHANGES);
            }
            System.out.printf(
                    "%-8s %,9d instructions per exchange (redis-server under callgrind)%n", "total", total / EXCHANGES);
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }

    private void exchanges(Socket socket, Map<String, Function<String, List<String>>> steps, String prefix, int count)
            throws IOException {
        for (Function<String, List<String>> step : steps.values()) {
            run(socket, step, prefix, count);
        }
    }

    private static void run(Socket socket, Function<String, List<String>> step, String prefix, int count)
            throws IOException {
        for (int start = 0; start < count; start += BATCH) {
            List<List<String>> commands = new java.util.ArrayList<>();
            for (int i = start; i < start + BATCH; i++) {
                commands.add(step.apply(prefix + i));
            }
            pipeline(socket, commands);
        }
    }

    private static void pipeline(Socket socket, List<List<String>> commands) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        commands.forEach(command -> out.writeBytes(Resp.encode(command.toArray(String[]::new))));
        OutputStream stream = socket.getOutputStream();
        stream.write(out.toByteArray());
        stream.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        for (int i = 0; i < commands.size(); i++) {
            Resp.read(in);
        }
    }

    /** Instructions so far: callgrind dumps its counters on request, and each dump holds those since the last. */
    private static long instructions(Process redis, Path dir) throws Exception {
        new ProcessBuilder("callgrind_control", "-d", Long.toString(redis.pid()))
                .redirectErrorStream(true)
                .start()
                .waitFor();
        long sum = 0;
        try (var dumps = Files.list(dir)) {
            for (Path dump : dumps.filter(path -> path.getFileName().toString().startsWith("cg.out"))
                    .toList()) {
                for (String line : Files.readAllLines(dump)) {
                    if (line.startsWith("summary:") || line.startsWith("totals:")) {
                        sum += Long.parseLong(
                                line.substring(line.indexOf(':') + 1).strip());
                        break;
                    }
                }
            }
        }
        return sum;
    }

    private static Socket connect(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.setSoTimeout(60_000);
                return socket;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.onSpinWait();
            }
        }
    }
}
