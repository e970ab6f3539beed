package dev.rendezvous.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.support.JvmRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The container recipes against what {@code ./mvnw package} really produces: every COPY source of
 * docker/Dockerfile.jvm exists, the native recipe copies the runner the native profile names, both
 * images run as uid 185 from ENTRYPOINT on, dependencies are copied before application code, the
 * JVM entry point starts java with the options files its runtime takes (docker/jvm.options, which
 * this JDK accepts, and docker/jvm-25.options, which the image's Java 25 accepts) and honours
 * JAVA_OPTS_APPEND, and .dockerignore lets exactly the copied files into the
 * build context. No container engine is needed.
 */
class DockerfilesIT {

    private static final Path BASE_DIR = Path.of(System.getProperty("user.dir"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jvmRecipeCopiesTheFastJarLayoutDependenciesFirst() throws IOException {
        Dockerfile jvm = Dockerfile.parse(BASE_DIR.resolve("docker/Dockerfile.jvm"));

        assertTaggedBase(jvm);
        List<String> sources = jvm.copySources();
        assertEquals(
                List.of(
                        "docker/jvm.options",
                        "docker/jvm-25.options",
                        "target/quarkus-app/lib/",
                        "target/quarkus-app/*.jar",
                        "target/quarkus-app/app/",
                        "target/quarkus-app/quarkus/",
                        "docker/aot-train.sh"),
                sources,
                "the JVM options and dependencies first, then the launcher, the application classes,"
                        + " Quarkus's generated code and the AOT cache's training");
        for (String source : sources) {
            List<Path> matches = matching(source);
            assertFalse(matches.isEmpty(), source + " matches nothing after package");
            for (Path match : matches) {
                if (Files.isDirectory(match)) {
                    try (Stream<Path> files = Files.walk(match)) {
                        assertTrue(files.anyMatch(Files::isRegularFile), source + " is an empty directory");
                    }
                }
            }
        }
        assertTrue(
                matching("target/quarkus-app/*.jar").contains(BASE_DIR.resolve("target/quarkus-app/quarkus-run.jar")));
        assertTrue(Files.isDirectory(BASE_DIR.resolve("target/quarkus-app/lib/main")));
        assertEquals(
                List.of(
                        "/deployments/",
                        "/deployments/lib/",
                        "/deployments/",
                        "/deployments/app/",
                        "/deployments/quarkus/",
                        "/deployments/"),
                jvm.instructions("COPY").stream()
                        .map(copy -> copy.words().get(copy.words().size() - 1))
                        .toList());

        assertEquals("185", jvm.userBeforeEntrypoint(), "the JVM image runs as uid 185");
    }

    @Test
    void jvmEntrypointHonoursJavaOptsAppend() throws Exception {
        Dockerfile jvm = Dockerfile.parse(BASE_DIR.resolve("docker/Dockerfile.jvm"));
        List<String> entrypoint = jvm.execForm("ENTRYPOINT");
        assertEquals(List.of("sh", "-c"), entrypoint.subList(0, 2));
        String script = entrypoint.get(2);
        assertTrue(script.contains("$JAVA_OPTS_APPEND"), script);
        assertTrue(script.startsWith("exec java "), "java replaces the shell, so SIGTERM reaches it: " + script);
        assertTrue(
                jvm.instructions("ENV").stream().anyMatch(env -> env.arguments().contains("JAVA_OPTS_APPEND=")));

        // Run the entry point's script with a stand-in java that prints its arguments.
        Path bin = Files.createTempDirectory("fake-java");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(
                java,
                EnumSet.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
        List<String> command = new ArrayList<>(entrypoint);
        command.add("extra argument");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("JAVA_OPTS_APPEND", "-Xss512k -Dappended=yes");
        Process process = builder.start();
        assertTrue(process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS));
        List<String> arguments = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        List<String> options = imageRuntime().optionFileArguments().stream()
                .map(file -> "@/deployments/" + Path.of(file.substring(1)).getFileName())
                .toList();
        assertEquals(List.of("@/deployments/jvm.options", "@/deployments/jvm-25.options"), options);
        assertEquals(options, arguments.subList(0, options.size()), "the options files of the image's runtime");
        assertEquals(
                List.of(
                        "-XX:AOTCache=/deployments/app.aot",
                        "-Xss512k",
                        "-Dappended=yes",
                        "-jar",
                        "/deployments/quarkus-run.jar",
                        "extra argument"),
                arguments.subList(options.size(), arguments.size()));
        Files.delete(java);
        Files.delete(bin);
    }

    @Test
    void jvmImageTrainsTheAotCacheItsEntrypointReadsWithTheSameOptions() throws IOException {
        Dockerfile jvm = Dockerfile.parse(BASE_DIR.resolve("docker/Dockerfile.jvm"));
        List<Instruction> runs = jvm.instructions("RUN").stream()
                .filter(run -> run.arguments().contains("aot-train.sh"))
                .toList();
        assertEquals(1, runs.size(), "one training run");
        List<String> training = runs.get(0).words();
        assertEquals(
                List.of(
                        "/deployments/aot-train.sh",
                        "/deployments/app.aot",
                        "/deployments",
                        "@/deployments/jvm.options",
                        "@/deployments/jvm-25.options",
                        "-XX:MaxRAM=768m",
                        "&&",
                        "chmod",
                        "0644",
                        "/deployments/app.aot",
                        "&&",
                        "rm",
                        "-rf",
                        "/tmp/vertx-cache",
                        "/tmp/hsperfdata_root"),
                training);
        String entrypoint = jvm.execForm("ENTRYPOINT").get(2);
        assertTrue(
                entrypoint.contains("java @/deployments/jvm.options @/deployments/jvm-25.options"
                        + " -XX:AOTCache=/deployments/app.aot $JAVA_OPTS_APPEND"),
                entrypoint);
        assertTrue(
                jvm.instructions().indexOf(runs.get(0))
                        > jvm.instructions().indexOf(jvm.instructions("COPY").get(4)),
                "the cache is made from the application as copied");
        assertTrue(
                jvm.instructions().indexOf(runs.get(0))
                        < jvm.instructions().indexOf(jvm.instructions("USER").get(0)),
                "trained as root, so that the cache lands in the root-owned /deployments");
        assertTrue(Files.isExecutable(BASE_DIR.resolve("docker/aot-train.sh")));
    }

    @Test
    void shippedJvmOptionsStartTheBuildsJdk() throws Exception {
        // The files the packaged tests start java with on this JDK: comments and all.
        String flags = finalFlags(JvmRuntime.current());
        assertTrue(flags.matches("(?s).*MaxRAMPercentage\\s*= 75\\.0.*"), flags);
        assertTrue(flags.matches("(?s).*ExitOnOutOfMemoryError\\s*= true.*"), flags);
        assertTrue(flags.matches("(?s).*UseG1GC\\s*= true.*"), flags);
    }

    @Test
    void shippedJvmOptionsStartTheImagesRuntimeWithCompactHeaders() throws Exception {
        Optional<JvmRuntime> shipped = JvmRuntime.shipped();
        assumeTrue(shipped.isPresent(), "no Java " + JvmRuntime.shippedFeature() + " under /usr/lib/jvm");

        String flags = finalFlags(shipped.get());
        assertTrue(flags.matches("(?s).*MaxRAMPercentage\\s*= 75\\.0.*"), flags);
        assertTrue(flags.matches("(?s).*UseCompactObjectHeaders\\s*= true.*"), flags);
        assertTrue(flags.matches("(?s).*UseG1GC\\s*= true.*"), flags);
    }

    private static JvmRuntime imageRuntime() {
        return new JvmRuntime(Path.of("/opt/java/openjdk"), JvmRuntime.shippedFeature(), List.of());
    }

    private static String finalFlags(JvmRuntime runtime) throws Exception {
        List<String> command = new ArrayList<>(List.of(runtime.java().toString()));
        command.addAll(runtime.optionFileArguments());
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String flags = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(0, java.exitValue(), flags);
        return flags;
    }

    @Test
    void nativeRecipeCopiesTheRunnerTheNativeProfileBuilds() throws Exception {
        Dockerfile nativeImage = Dockerfile.parse(BASE_DIR.resolve("docker/Dockerfile.native"));

        assertTaggedBase(nativeImage);
        assertEquals(List.of("target/*-runner"), nativeImage.copySources());
        Instruction copy = nativeImage.instructions("COPY").get(0);
        String destination = copy.words().get(copy.words().size() - 1);
        assertTrue(copy.words().contains("--chmod=0755"), copy.arguments());

        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(BASE_DIR.resolve("pom.xml").toFile());
        String artifactId = childText(pom.getDocumentElement(), "artifactId");
        String version = childText(pom.getDocumentElement(), "version");
        String runner = artifactId + "-" + version + "-runner";
        assertEquals("rendezvous-1.0.0-SNAPSHOT-runner", runner);
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:target/*-runner");
        assertTrue(glob.matches(Path.of("target", runner)));
        assertFalse(glob.matches(Path.of("target", artifactId + "-" + version + ".jar")));
        assertFalse(glob.matches(Path.of("target/native-sources", runner + ".jar")));
        assertEquals("true", nativeProfileProperty(pom, "quarkus.native.enabled"));

        List<String> entrypoint = nativeImage.execForm("ENTRYPOINT");
        assertEquals(destination, entrypoint.get(0), "the entry point runs the copied executable");
        assertEquals("185", nativeImage.userBeforeEntrypoint(), "the native image runs as uid 185 too");
    }

    @Test
    void dockerignoreAdmitsExactlyWhatTheRecipesCopy() throws IOException {
        DockerIgnore ignore = DockerIgnore.parse(BASE_DIR.resolve(".dockerignore"));
        List<String> copied = new ArrayList<>(
                Dockerfile.parse(BASE_DIR.resolve("docker/Dockerfile.jvm")).copySources());
        copied.addAll(
                Dockerfile.parse(BASE_DIR.resolve("docker/Dockerfile.native")).copySources());

        for (String source :
                Dockerfile.parse(BASE_DIR.resolve("docker/Dockerfile.jvm")).copySources()) {
            for (Path match : matching(source)) {
                try (Stream<Path> files = Files.walk(match)) {
                    files.filter(Files::isRegularFile)
                            .map(BASE_DIR::relativize)
                            .forEach(file -> assertFalse(ignore.excludes(file), file + " is copied but ignored"));
                }
            }
        }
        assertFalse(ignore.excludes(Path.of("target/rendezvous-1.0.0-SNAPSHOT-runner")));

        for (String left : List.of(
                "src/main/java/dev/rendezvous/correlation/model/Rejection.java",
                "src/main/resources/application.properties",
                "target/classes/application.properties",
                "target/test-classes/dev/rendezvous/packaged/DockerfilesIT.class",
                "target/rendezvous-1.0.0-SNAPSHOT.jar",
                "target/native-sources/rendezvous-1.0.0-SNAPSHOT-runner.jar",
                "target/failsafe-reports/TEST-x.xml",
                ".git/HEAD",
                "pom.xml",
                "docker/Dockerfile.jvm",
                ".mvn/wrapper/maven-wrapper.properties")) {
            assertTrue(ignore.excludes(Path.of(left)), left + " must stay out of the build context");
        }

        // Everything the context would carry is something a recipe copies.
        List<PathMatcher> copiedMatchers = copied.stream()
                .map(source -> FileSystems.getDefault().getPathMatcher("glob:" + trimSlash(source)))
                .toList();
        try (Stream<Path> files = Files.walk(BASE_DIR)) {
            List<Path> stray = files.filter(Files::isRegularFile)
                    .map(BASE_DIR::relativize)
                    .filter(file -> !file.startsWith(".git"))
                    .filter(file -> !ignore.excludes(file))
                    .filter(file -> copiedMatchers.stream().noneMatch(m -> matchesOrParentMatches(m, file)))
                    .toList();
            assertEquals(List.of(), stray, "files in the build context that no recipe copies");
        }
    }

    private static void assertTaggedBase(Dockerfile file) {
        List<Instruction> froms = file.instructions("FROM");
        assertEquals(1, froms.size(), "a single-stage recipe");
        String image = froms.get(0).words().get(0);
        assertTrue(image.contains(":"), "the base image has an explicit tag: " + image);
        assertFalse(image.endsWith(":latest"), "the base image is not :latest: " + image);
    }

    private static List<Path> matching(String source) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + trimSlash(source));
        Path parent = BASE_DIR.resolve(trimSlash(source)).getParent();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(child -> matcher.matches(BASE_DIR.relativize(child)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean matchesOrParentMatches(PathMatcher matcher, Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (matcher.matches(p)) {
                return true;
            }
        }
        return false;
    }

    private static String trimSlash(String pattern) {
        String trimmed = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String childText(Element parent, String name) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no <" + name + "> under <" + parent.getTagName() + ">");
    }

    private static String nativeProfileProperty(Document pom, String name) {
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (childText(profile, "id").equals("native")) {
                NodeList values = profile.getElementsByTagName(name);
                return values.getLength() == 0
                        ? null
                        : values.item(0).getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no native profile");
    }

    /** One Dockerfile instruction, continuation lines joined. */
    record Instruction(String keyword, String arguments) {

        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    /** The instructions of a Dockerfile, in order; comments and blank lines dropped. */
    record Dockerfile(List<Instruction> instructions) {

        static Dockerfile parse(Path file) throws IOException {
            List<Instruction> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                current.append(trimmed);
                String text = current.toString().strip();
                current.setLength(0);
                if (text.isEmpty()) {
                    continue;
                }
                int space = text.indexOf(' ');
                instructions.add(new Instruction(
                        text.substring(0, space).toUpperCase(),
                        text.substring(space + 1).strip()));
            }
            assertEquals(0, current.length(), file + " ends inside a continued line");
            return new Dockerfile(instructions);
        }

        List<Instruction> instructions(String keyword) {
            return instructions.stream()
                    .filter(instruction -> instruction.keyword().equals(keyword))
                    .toList();
        }

        /** The sources of every COPY and ADD, in order (flags and the destination dropped). */
        List<String> copySources() {
            List<String> sources = new ArrayList<>();
            for (Instruction instruction : instructions) {
                if (instruction.keyword().equals("COPY")
                        || instruction.keyword().equals("ADD")) {
                    assertFalse(instruction.arguments().startsWith("["), "shell-form COPY expected");
                    List<String> words = instruction.words().stream()
                            .filter(word -> !word.startsWith("--"))
                            .toList();
                    assertTrue(words.size() >= 2, instruction.toString());
                    assertFalse(instruction.arguments().contains("--from"), "single-stage copies from the context");
                    sources.addAll(words.subList(0, words.size() - 1));
                }
            }
            return sources;
        }

        /** The exec-form (JSON array) arguments of the last such instruction. */
        List<String> execForm(String keyword) {
            List<Instruction> found = instructions(keyword);
            assertFalse(found.isEmpty(), "no " + keyword);
            String arguments = found.get(found.size() - 1).arguments();
            assertTrue(arguments.startsWith("["), keyword + " in exec form, so that signals reach the process");
            try {
                return JSON.readValue(arguments, new TypeReference<List<String>>() {});
            } catch (IOException e) {
                throw new AssertionError(keyword + " is not a JSON array: " + arguments, e);
            }
        }

        /** The user in effect at the ENTRYPOINT, which must come after at least one non-root USER. */
        String userBeforeEntrypoint() {
            Optional<String> user = Optional.empty();
            for (Instruction instruction : instructions) {
                if (instruction.keyword().equals("USER")) {
                    user = Optional.of(instruction.arguments().split(":")[0]);
                }
                if (instruction.keyword().equals("ENTRYPOINT")) {
                    String effective = user.orElseThrow(() -> new AssertionError("no USER before ENTRYPOINT"));
                    assertNotEquals("0", effective);
                    assertNotEquals("root", effective);
                    return effective;
                }
            }
            throw new AssertionError("no ENTRYPOINT");
        }
    }

    /**
     * A .dockerignore with Docker's rules: patterns in order, the last one that matches a path or one
     * of its parent directories decides, and {@code !} lets a path back in.
     */
    record DockerIgnore(List<String> patterns) {

        static DockerIgnore parse(Path file) throws IOException {
            return new DockerIgnore(Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList());
        }

        boolean excludes(Path path) {
            boolean excluded = false;
            for (String pattern : patterns) {
                boolean negated = pattern.startsWith("!");
                String glob = trimSlash(negated ? pattern.substring(1).strip() : pattern);
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                if (matchesOrParentMatches(matcher, path)) {
                    excluded = !negated;
                }
            }
            return excluded;
        }
    }
}
