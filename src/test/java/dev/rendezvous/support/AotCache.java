package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's AOT cache for the packaged service, made as the image's build makes it: by
 * docker/aot-train.sh, on the runtime and with the options the service then starts with.
 */
public final class AotCache {

    /** The first feature version whose JVM makes and reads an AOT cache in one training run. */
    public static final int SINCE = 25;

    private static final Path BASE_DIR = Path.of(System.getProperty("user.dir"));
    private static final Path DIR = BASE_DIR.resolve("target/aot");
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(5);

    private AotCache() {}

    /**
     * Trains a cache for {@code runtime} with {@code exchanges} exchanges and answers the runtime that
     * starts with it.
     *
     * @throws IllegalStateException with the training's log if it fails
     */
    public static JvmRuntime train(JvmRuntime runtime, int exchanges) {
        if (runtime.feature() < SINCE) {
            throw new IllegalArgumentException("Java " + runtime.feature() + " makes no AOT cache in one run");
        }
        // One file, made anew: a replica still mapping the last one keeps its pages after the delete.
        Path cache = DIR.resolve("app.aot");
        Path log = DIR.resolve("training.log");
        List<String> command = new ArrayList<>(List.of(
                "sh",
                BASE_DIR.resolve("docker/aot-train.sh").toString(),
                cache.toString(),
                BASE_DIR.resolve("target/quarkus-app").toString()));
        command.addAll(runtime.launchOptions());
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(cache);
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.to(log.toFile()));
            Map<String, String> env = builder.environment();
            env.put("JAVA", runtime.java().toString());
            env.put("AOT_TRAINING_PORT", Integer.toString(Processes.freePort()));
            env.put("AOT_TRAINING_EXCHANGES", Integer.toString(exchanges));
            Process training = builder.start();
            if (!training.waitFor(TRAINING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                training.descendants().forEach(ProcessHandle::destroyForcibly);
                training.destroyForcibly().waitFor();
            }
            if (training.isAlive() || training.exitValue() != 0) {
                throw new IllegalStateException("AOT training failed:\n" + Processes.tail(log, 40));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training an AOT cache", e);
        }
        return runtime.withOptions(List.of("-XX:AOTCache=" + cache));
    }
}
