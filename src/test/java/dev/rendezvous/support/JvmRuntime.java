package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Java runtime on this machine, and the JVM options the project ships for it: {@code
 * docker/jvm.options} for every runtime, plus each {@code docker/jvm-<N>.options} whose {@code N} is
 * at most the runtime's feature version (options an older JDK would refuse to start with). The image
 * (docker/Dockerfile.jvm) passes the same files to the runtime it is built on.
 *
 * @param home the runtime's home directory (the one holding {@code bin/java} and {@code release})
 * @param feature its feature version: 17, 25, ...
 * @param extraOptions JVM options added after the shipped files (an experiment's, the benchmark's
 *     {@code bench.jvm-options})
 */
public record JvmRuntime(Path home, int feature, List<String> extraOptions) {

    public JvmRuntime {
        extraOptions = List.copyOf(extraOptions);
    }

    private static final Path BASE_DIR = Path.of(System.getProperty("user.dir"));
    private static final Path DOCKER = BASE_DIR.resolve("docker");
    private static final Path DOCKERFILE = DOCKER.resolve("Dockerfile.jvm");
    private static final Path INSTALLED = Path.of("/usr/lib/jvm");
    private static final Pattern VERSIONED_OPTIONS = Pattern.compile("jvm-(\\d+)\\.options");
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final Pattern IMAGE_VERSION = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-");

    /** The runtime this test or benchmark runs on. */
    public static JvmRuntime current() {
        return new JvmRuntime(
                Path.of(System.getProperty("java.home")), Runtime.version().feature(), List.of());
    }

    /** The runtime at {@code home}, its version read from its {@code release} file. */
    public static JvmRuntime at(Path home) {
        return new JvmRuntime(
                home,
                featureOf(home)
                        .orElseThrow(() -> new IllegalArgumentException(
                                home + " has no release file naming its JAVA_VERSION: not a JDK or JRE home")),
                List.of());
    }

    /** The feature version of the runtime the image ships, from docker/Dockerfile.jvm's base image. */
    public static int shippedFeature() {
        Matcher from = IMAGE_VERSION.matcher(read(DOCKERFILE));
        if (!from.find()) {
            throw new IllegalStateException(DOCKERFILE + " has no eclipse-temurin:<version> base image");
        }
        return Integer.parseInt(from.group(1));
    }

    /** An installed runtime of the shipped feature version (under /usr/lib/jvm), if there is one. */
    public static Optional<JvmRuntime> shipped() {
        int shipped = shippedFeature();
        if (current().feature() == shipped) {
            return Optional.of(current());
        }
        try (Stream<Path> homes = Files.list(INSTALLED)) {
            return homes.sorted(Comparator.reverseOrder())
                    .filter(home -> featureOf(home).orElse(0) == shipped)
                    .findFirst()
                    .map(home -> new JvmRuntime(home, shipped, List.of()));
        } catch (IOException | UncheckedIOException noneReadable) {
            return Optional.empty();
        }
    }

    /** This runtime, started with {@code options} after the shipped ones. */
    public JvmRuntime withOptions(List<String> options) {
        List<String> all = new ArrayList<>(extraOptions);
        all.addAll(options);
        return new JvmRuntime(home, feature, all);
    }

    public Path java() {
        return home.resolve("bin/java");
    }

    /** The options the project ships for this runtime, then {@link #extraOptions()}. */
    public List<String> launchOptions() {
        List<String> options = optionFileArguments();
        options.addAll(extraOptions);
        return options;
    }

    /** {@code @file} arguments for every options file the project ships that this runtime takes. */
    public List<String> optionFileArguments() {
        List<String> arguments = new ArrayList<>();
        arguments.add("@" + DOCKER.resolve("jvm.options"));
        try (Stream<Path> files = Files.list(DOCKER)) {
            files.sorted(Comparator.comparing(Path::toString)).forEach(file -> {
                Matcher versioned = VERSIONED_OPTIONS.matcher(file.getFileName().toString());
                if (versioned.matches() && Integer.parseInt(versioned.group(1)) <= feature) {
                    arguments.add("@" + file);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return arguments;
    }

    private static Optional<Integer> featureOf(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        Matcher version = RELEASE_VERSION.matcher(read(release));
        return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
