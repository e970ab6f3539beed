package dev.rendezvous.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Compose files of docker/, one per Redis topology, read as Compose reads them (anchors and merge keys
 * resolved) and held against what Redis and the service need: every Redis is a Redis 7 with an append-only
 * file and no eviction; every Rendezvous replica selects its topology with the standard Quarkus keys and
 * names Redis services that exist; the Sentinels monitor, with a quorum they can reach, the primary and
 * master set name the replicas ask for; the cluster is created from all six nodes. No container engine is
 * needed.
 */
class ComposeFilesIT {

    private static final Path DOCKER = Path.of(System.getProperty("user.dir"), "docker");
    private static final Pattern MONITOR = Pattern.compile("(?m)^sentinel monitor (\\S+) (\\S+) (\\d+) (\\d+)$");

    @Test
    void everyRedisIsRedis7WithAnAppendOnlyFileAndNoEviction() throws IOException {
        for (String file : List.of("compose.yaml", "compose.sentinel.yaml", "compose.cluster.yaml")) {
            Compose compose = Compose.read(file);
            List<String> servers = compose.redisServers();
            assertFalse(servers.isEmpty(), file);
            for (String service : compose.services.keySet()) {
                if (compose.image(service).startsWith("redis")) {
                    assertEquals("redis:7", compose.image(service), file + ": " + service);
                }
            }
            for (String server : servers) {
                List<String> command = compose.command(server);
                assertEquals("yes", flag(command, "--appendonly"), file + ": " + server);
                assertEquals("noeviction", flag(command, "--maxmemory-policy"), file + ": " + server);
            }
            List<String> replicas = compose.replicas();
            assertEquals(2, replicas.size(), file);
            for (String replica : replicas) {
                assertEquals("redis", compose.environment(replica).get("RENDEZVOUS_STORE"), file + ": " + replica);
            }
        }
    }

    @Test
    void standaloneReplicasUseTheOneRedis() throws IOException {
        Compose compose = Compose.read("compose.yaml");
        assertEquals(List.of("redis"), compose.redisServers());
        for (String replica : compose.replicas()) {
            Map<String, String> env = compose.environment(replica);
            assertEquals("standalone", env.getOrDefault("QUARKUS_REDIS_CLIENT_TYPE", "standalone"), replica);
            assertEquals(List.of(URI.create("redis://redis:6379")), compose.hosts(replica), replica);
        }
    }

    @Test
    void sentinelReplicasAskEverySentinelForThePrimaryTheyMonitor() throws IOException {
        Compose compose = Compose.read("compose.sentinel.yaml");
        List<String> sentinels = compose.sentinels();
        assertEquals(List.of("sentinel-1", "sentinel-2", "sentinel-3"), sentinels);

        Set<String> monitors = new TreeSet<>();
        Set<Integer> ports = new TreeSet<>();
        for (String sentinel : sentinels) {
            String config = compose.shellScript(sentinel);
            Matcher monitor = MONITOR.matcher(config);
            assertTrue(monitor.find(), sentinel + " monitors no primary:\n" + config);
            monitors.add(monitor.group(1) + " " + monitor.group(2) + " " + monitor.group(3) + " " + monitor.group(4));
            int quorum = Integer.parseInt(monitor.group(4));
            assertTrue(quorum >= 1 && quorum <= sentinels.size(), "quorum " + quorum + " of " + sentinels.size());
            String name = monitor.group(1);
            assertTrue(
                    config.contains("\nsentinel down-after-milliseconds " + name + " 5000\n"),
                    sentinel + " waits another time than 5 s:\n" + config);
            // Names everywhere: accepted, handed out, and each Sentinel's own announced.
            for (String line : List.of(
                    "sentinel resolve-hostnames yes",
                    "sentinel announce-hostnames yes",
                    "sentinel announce-ip " + sentinel)) {
                assertTrue(config.contains("\n" + line + "\n"), sentinel + " lacks `" + line + "`:\n" + config);
            }
            Matcher port = Pattern.compile("(?m)^port (\\d+)$").matcher(config);
            assertTrue(port.find(), config);
            ports.add(Integer.valueOf(port.group(1)));
        }
        assertEquals(1, monitors.size(), "every Sentinel monitors the same primary: " + monitors);
        String[] monitor = monitors.iterator().next().split(" ");
        String masterName = monitor[0];
        String primary = monitor[1];
        assertEquals(Set.of(26379), ports);

        // The monitored primary replicates to the other Redis servers; each announces its service name.
        List<String> servers = compose.redisServers();
        assertTrue(servers.contains(primary), primary + " is not a Redis service");
        assertNull(flag(compose.command(primary), "--replicaof"), primary + " is a replica");
        List<String> replicasOfPrimary = new ArrayList<>();
        for (String server : servers) {
            List<String> command = compose.command(server);
            assertEquals(server, flag(command, "--replica-announce-ip"), server);
            if (!server.equals(primary)) {
                int at = command.indexOf("--replicaof");
                assertEquals(List.of(primary, monitor[2]), command.subList(at + 1, at + 3), server);
                replicasOfPrimary.add(server);
            }
        }
        assertTrue(replicasOfPrimary.size() == 1 || replicasOfPrimary.size() == 2, replicasOfPrimary::toString);

        for (String replica : compose.replicas()) {
            Map<String, String> env = compose.environment(replica);
            assertEquals("sentinel", env.get("QUARKUS_REDIS_CLIENT_TYPE"), replica);
            assertEquals(masterName, env.get("QUARKUS_REDIS_MASTER_NAME"), replica);
            assertEquals("master", env.getOrDefault("QUARKUS_REDIS_ROLE", "master"), replica);
            List<URI> hosts = compose.hosts(replica);
            assertEquals(
                    sentinels,
                    hosts.stream().map(URI::getHost).toList(),
                    replica + " lists every Sentinel, and nothing else");
            hosts.forEach(host -> assertEquals(26379, host.getPort(), host.toString()));
        }
    }

    @Test
    void clusterReplicasStartOnTheClusterTheInitServiceFormsOfAllSixNodes() throws IOException {
        Compose compose = Compose.read("compose.cluster.yaml");
        List<String> nodes = compose.redisServers();
        assertEquals(6, nodes.size(), nodes::toString);
        for (String node : nodes) {
            List<String> command = compose.command(node);
            assertEquals("yes", flag(command, "--cluster-enabled"), node);
            assertEquals(node, flag(command, "--cluster-announce-hostname"), node);
            assertEquals("hostname", flag(command, "--cluster-preferred-endpoint-type"), node);
            assertNotNull(compose.service(node).get("healthcheck"), node + " has no health check to wait for");
        }

        String init = "cluster-init";
        List<String> words = List.of(compose.shellScript(init).trim().split("\\s+"));
        int create = words.indexOf("create");
        assertTrue(create > 0 && words.get(create - 1).equals("--cluster"), words::toString);
        Set<String> created = new TreeSet<>();
        for (String word : words.subList(create + 1, words.size())) {
            if (word.startsWith("--")) {
                break;
            }
            assertTrue(word.endsWith(":6379"), word);
            created.add(word.substring(0, word.length() - ":6379".length()));
        }
        assertEquals(new TreeSet<>(nodes), created, "the cluster is created from every node");
        int replicasPerPrimary = words.indexOf("--cluster-replicas");
        assertEquals("1", words.get(replicasPerPrimary + 1));
        assertTrue(words.contains("--cluster-yes"), "redis-cli would wait for a typed yes");
        Map<?, ?> initDependsOn = (Map<?, ?>) compose.service(init).get("depends_on");
        for (String node : nodes) {
            assertEquals(Map.of("condition", "service_healthy"), initDependsOn.get(node), node);
        }

        for (String replica : compose.replicas()) {
            Map<String, String> env = compose.environment(replica);
            assertEquals("cluster", env.get("QUARKUS_REDIS_CLIENT_TYPE"), replica);
            List<URI> hosts = compose.hosts(replica);
            assertFalse(hosts.isEmpty(), replica);
            for (URI host : hosts) {
                assertTrue(nodes.contains(host.getHost()), host + " is not a node");
                assertEquals(6379, host.getPort(), host.toString());
            }
            assertEquals(
                    Map.of(init, Map.of("condition", "service_completed_successfully")),
                    compose.service(replica).get("depends_on"),
                    replica + " starts once the cluster is formed");
        }
    }

    /** The value after a command-line flag, or null. */
    private static String flag(List<String> command, String name) {
        int at = command.indexOf(name);
        return at < 0 || at + 1 >= command.size() ? null : command.get(at + 1);
    }

    /** A Compose file's services, as Compose sees them. */
    private record Compose(String file, Map<String, Map<String, Object>> services) {

        @SuppressWarnings("unchecked")
        static Compose read(String file) throws IOException {
            // YAML 1.1 with merge keys (<<), as Compose reads it.
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            Map<String, Object> document = yaml.load(Files.readString(DOCKER.resolve(file)));
            Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) document.get("services");
            assertNotNull(services, file + " has no services");
            return new Compose(file, services);
        }

        Map<String, Object> service(String name) {
            Map<String, Object> service = services.get(name);
            assertNotNull(service, file + " has no service " + name);
            return service;
        }

        String image(String name) {
            return String.valueOf(service(name).get("image"));
        }

        @SuppressWarnings("unchecked")
        List<String> command(String name) {
            Object command = service(name).get("command");
            assertTrue(command instanceof List<?>, file + ": " + name + " gives its command as a list");
            for (Object word : (List<Object>) command) {
                assertTrue(word instanceof String, file + ": " + name + ": quote " + word + ", Compose takes strings");
            }
            return (List<String>) command;
        }

        /**
         * The script of a {@code sh -c} command as the shell runs it: Compose's {@code $$} is a {@code $},
         * and the service's environment variables are expanded.
         */
        String shellScript(String name) {
            List<String> command = command(name);
            assertEquals(List.of("sh", "-c"), command.subList(0, 2), file + ": " + name);
            String script = command.get(2).replace("$$", "$");
            for (Map.Entry<String, String> variable : environment(name).entrySet()) {
                script = script.replace("$" + variable.getKey(), variable.getValue());
            }
            assertFalse(script.contains("$"), file + ": " + name + " uses a variable it does not set:\n" + script);
            return script;
        }

        Map<String, String> environment(String name) {
            Map<String, String> env = new LinkedHashMap<>();
            Object environment = service(name).get("environment");
            if (environment instanceof Map<?, ?> map) {
                map.forEach((key, value) -> env.put(String.valueOf(key), String.valueOf(value)));
            } else if (environment != null) {
                for (Object entry : (List<?>) environment) {
                    String[] pair = String.valueOf(entry).split("=", 2);
                    env.put(pair[0], pair[1]);
                }
            }
            return env;
        }

        /** The Rendezvous replicas: the services of the image the README builds. */
        List<String> replicas() {
            return services.keySet().stream()
                    .filter(name -> image(name).equals("rendezvous:jvm"))
                    .toList();
        }

        /** Redis servers holding data: the redis-server commands that are not Sentinels. */
        List<String> redisServers() {
            return services.keySet().stream()
                    .filter(name -> service(name).get("command") instanceof List<?> command
                            && !command.isEmpty()
                            && command.get(0).equals("redis-server"))
                    .toList();
        }

        List<String> sentinels() {
            return services.keySet().stream()
                    .filter(name -> service(name).get("command") instanceof List<?> command
                            && String.valueOf(command).contains("--sentinel"))
                    .toList();
        }

        /** The URLs of QUARKUS_REDIS_HOSTS; each names a service of this file. */
        List<URI> hosts(String replica) {
            String hosts = environment(replica).get("QUARKUS_REDIS_HOSTS");
            assertNotNull(hosts, file + ": " + replica + " sets no QUARKUS_REDIS_HOSTS");
            List<URI> uris = new ArrayList<>();
            for (String host : hosts.split(",")) {
                URI uri = URI.create(host.trim());
                assertEquals("redis", uri.getScheme(), host);
                assertTrue(services.containsKey(uri.getHost()), file + ": " + host + " names no service");
                uris.add(uri);
            }
            return uris;
        }
    }
}
