package dev.rendezvous.packaged;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw quarkus:dev} in a copy of the project (the real sources are never touched): the
 * service comes up, an edit to a source file is answered on the next request by the same JVM (live
 * reload, not a restart), and the Dev UI answers. About 40 s on two cores.
 */
class DevModeIT {

    private static final Path BASE_DIR = Path.of(System.getProperty("user.dir"));
    private static final String OLD_TITLE = "\"Correlation not found\"";
    private static final String NEW_TITLE = "\"Correlation not found (live reloaded)\"";
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path copy;
    private Process maven;

    @Test
    void reloadsAnEditedSourceWithoutRestartingTheJvm() throws Exception {
        copy = Files.createTempDirectory("rendezvous-dev-");
        for (String part : List.of("pom.xml", "mvnw", ".mvn", "src/main")) {
            copyTree(BASE_DIR.resolve(part), copy.resolve(part));
        }
        int port = freePort();
        Path log = copy.resolve("dev.log");
        maven = new ProcessBuilder(
                        copy.resolve("mvnw").toString(),
                        "-B",
                        "quarkus:dev",
                        "-Dquarkus.http.port=" + port,
                        "-Ddebug=false",
                        "-Dquarkus.console.enabled=false",
                        "-Dquarkus.analytics.disabled=true",
                        "-Dquarkus.test.continuous-testing=disabled")
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI base = URI.create("http://localhost:" + port + "/");

        await("dev mode up")
                .atMost(Duration.ofSeconds(75))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!maven.isAlive()) {
                        throw new AssertionError("dev mode exited:\n" + Files.readString(log));
                    }
                    return status(base.resolve("q/health/live")) == 200;
                });
        ProcessHandle devJvm = devJvm();
        URI missing = base.resolve("v1/correlations/no-such-correlation");
        assertThat(get(missing).body(), containsString("\"title\":" + OLD_TITLE));

        Path rejection = copy.resolve("src/main/java/dev/rendezvous/correlation/model/Rejection.java");
        String source = Files.readString(rejection);
        assertThat(source, containsString(OLD_TITLE));
        Files.writeString(rejection, source.replace(OLD_TITLE, NEW_TITLE));

        // Dev mode looks for changes when a request arrives; the file's new timestamp may take a
        // scan or two to be seen, so ask until the answer changes.
        await("live reload")
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get(missing).body().contains("\"title\":" + NEW_TITLE));

        String output = Files.readString(log);
        assertThat(output, containsString("Live reload total time"));
        assertTrue(devJvm.isAlive(), "the dev-mode JVM survived the reload");
        assertEquals(devJvm.pid(), devJvm().pid(), "the same JVM answers after the reload");
        // Live reload restarts the application inside the running JVM, which the log names (with the
        // other classes compiled from the same source, such as nested ones).
        assertTrue(
                Pattern.compile("due to changes in [^\\n]*\\bRejection\\.class")
                        .matcher(output)
                        .find(),
                "the restart names Rejection.class");
        assertEquals(200, status(base.resolve("q/dev-ui/")));
        assertEquals(200, status(base.resolve("q/health/live")));
    }

    @AfterEach
    void stop() throws IOException {
        if (maven != null) {
            List<ProcessHandle> tree = Stream.concat(maven.descendants(), Stream.of(maven.toHandle()))
                    .toList();
            tree.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (ProcessHandle process : tree) {
                try {
                    process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // forced below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        if (copy != null) {
            try (Stream<Path> paths = Files.walk(copy)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The one JVM that dev mode forks to run the application (its command line names the copy). */
    private ProcessHandle devJvm() {
        List<ProcessHandle> jvms = maven.descendants()
                .filter(p -> p.info()
                        .commandLine()
                        .map(line -> line.contains("dev-app-model") && line.contains(copy.toString()))
                        .orElse(false))
                .toList();
        assertEquals(1, jvms.size(), "one dev-mode JVM: " + jvms);
        return jvms.get(0);
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(URI uri) {
        try {
            return get(uri).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(path -> {
                Path target = to.resolve(from.relativize(path).toString());
                try {
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
