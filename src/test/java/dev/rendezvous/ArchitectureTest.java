package dev.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layout README's Design section draws, held by the sources themselves: the design
 * card's package depends on nothing optional, optional parts depend on it and never on each other
 * but as drawn, and no library's internals are imported but the one the edge documents.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/dev/rendezvous");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern OWN = Pattern.compile("^dev\\.rendezvous\\.(\\w+)\\.");

    /** Each top-level package, and the others it may import. */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "config", Set.of(),
            "correlation", Set.of("config"),
            "route", Set.of("config", "correlation"),
            "redis", Set.of("config", "correlation", "route"),
            "ops", Set.of("config", "correlation", "route"),
            "edge", Set.of("config", "correlation"));

    /** Internals of a library that a public API cannot replace: docs/edge.md says why. */
    private static final Set<String> INTERNALS_ALLOWED =
            Set.of("edge/ConnectionGuards.java imports io.vertx.core.net.impl.ConnectionBase");

    @Test
    void everyPackageImportsOnlyThePackagesItMayDependOn() {
        List<String> breaches = new ArrayList<>();
        for (Path file : sources()) {
            String from = MAIN.relativize(file).getName(0).toString();
            for (String imported : imports(file)) {
                Matcher own = OWN.matcher(imported);
                if (own.find()
                        && !own.group(1).equals(from)
                        && !MAY_USE.get(from).contains(own.group(1))) {
                    breaches.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
        }
        assertEquals(List.of(), breaches);
    }

    @Test
    void noLibraryInternalsAreImportedButTheOneDocumented() {
        List<String> internals = new ArrayList<>();
        for (Path file : sources()) {
            imports(file).stream()
                    .filter(imported -> imported.contains(".impl.") || imported.contains(".internal."))
                    .forEach(imported -> internals.add(MAIN.relativize(file) + " imports " + imported));
        }
        assertEquals(INTERNALS_ALLOWED, Set.copyOf(internals));
    }

    @Test
    void everyTopLevelPackageHasItsRules() {
        try (Stream<Path> packages = Files.list(MAIN)) {
            assertEquals(
                    MAY_USE.keySet(),
                    Set.copyOf(packages.filter(Files::isDirectory)
                            .map(dir -> dir.getFileName().toString())
                            .toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> imports(Path file) {
        try {
            Matcher matcher = IMPORT.matcher(Files.readString(file));
            List<String> found = new ArrayList<>();
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
