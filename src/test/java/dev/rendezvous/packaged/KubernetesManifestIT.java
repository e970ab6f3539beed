package dev.rendezvous.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.support.Replica;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of the build ({@code target/kubernetes/kubernetes.yml}, and the
 * PodDisruptionBudget of the Redis shape beside them), read strictly into the Kubernetes model and held
 * against the application: its probes answer on the packaged application, its ports, shutdown times and
 * user are the application's, and every ConfigMap or Secret key is a property the application reads.
 *
 * <p>An integration test because Quarkus writes the manifests only when it packages the application,
 * after the unit tests have run.
 */
class KubernetesManifestIT {

    private static final Path BASE_DIR = Path.of(System.getProperty("user.dir"));
    private static final Path MANIFEST = BASE_DIR.resolve("target/kubernetes/kubernetes.yml");
    private static final Path FRAGMENT = BASE_DIR.resolve("src/main/kubernetes/kubernetes.yml");
    private static final Path PDB = BASE_DIR.resolve("src/main/kubernetes/redis-pdb.yml");
    private static final Path PROPERTIES = BASE_DIR.resolve("target/classes/application.properties");
    private static final Path DOCKERFILE = BASE_DIR.resolve("docker/Dockerfile.jvm");
    private static final String NAME = "rendezvous";

    /**
     * The {@code quarkus.*} keys the ConfigMap and Secret may set: the run-time switches the README and
     * docs/redis.md tell operators to use. Anything else Quarkus reads is either fixed at build time
     * (ignored at run time) or, like {@code quarkus.http.port}, would break what the manifest assumes
     * (probes, Service).
     */
    private static final Set<String> QUARKUS_KEYS = Set.of(
            "quarkus.redis.hosts", // the Redis shape: where Redis is (README, Redis)
            "quarkus.redis.client-type", // standalone, sentinel or cluster (docs/redis.md, Topologies)
            "quarkus.redis.master-name", // the Sentinels' master set name (docs/redis.md, Topologies)
            "quarkus.redis.role", // with Sentinel, master only (docs/redis.md, Topologies)
            "quarkus.redis.password", // its password, a secret (docs/threat-model.md)
            "quarkus.log.console.json.enabled", // JSON log lines (README, Operations)
            "quarkus.http.access-log.enabled"); // the access log (README, Operations)

    /** Every environment variable name in the hand-written fragment, its comments included. */
    private static final Pattern ENV_NAME = Pattern.compile("\\b(?:RENDEZVOUS|QUARKUS)_[A-Z0-9_]+\\b");

    /**
     * Jackson on the fabric8 model, but strict: the model keeps unknown fields in
     * {@code additionalProperties} (a {@code @JsonAnySetter}); without any-setters an unknown or misspelt
     * field fails the read.
     */
    private static final ObjectMapper STRICT = YAMLMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private static List<HasMetadata> manifest;
    private static Properties properties;

    @BeforeAll
    static void read() throws IOException {
        assertTrue(Files.isRegularFile(MANIFEST), MANIFEST + " is missing: `./mvnw package` writes it");
        manifest = readAll(MANIFEST);
        properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        }
    }

    @Test
    void theStrictReaderRefusesUnknownFields() {
        String misspelt = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labelz: {}\n";
        assertThrows(UnrecognizedPropertyException.class, () -> STRICT.readValue(misspelt, HasMetadata.class));
    }

    @Test
    void manifestHoldsTheDeploymentServiceConfigMapAndSecret() {
        assertEquals(
                List.of(
                        "ConfigMap/rendezvous-config",
                        "Deployment/rendezvous",
                        "Secret/rendezvous-secrets",
                        "Service/rendezvous"),
                manifest.stream()
                        .map(object ->
                                object.getKind() + "/" + object.getMetadata().getName())
                        .sorted()
                        .toList());
        assertEquals("rendezvous:jvm", container().getImage(), "the README's docker build tags this image");
    }

    @Test
    void probesAnswer200OnThePackagedApplicationWithTheConfigMapsSettings() {
        Container container = container();
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("/q/health/live", container.getLivenessProbe());
        probes.put("/q/health/ready", container.getReadinessProbe());
        probes.put("/q/health/started", container.getStartupProbe());
        Map<String, String> settings = new LinkedHashMap<>();
        object(ConfigMap.class, "rendezvous-config")
                .getData()
                .forEach((env, value) -> settings.put(property(env), value));
        try (Replica replica = Replica.start(settings)) {
            probes.forEach((path, probe) -> {
                assertNotNull(probe, path);
                assertEquals(path, probe.getHttpGet().getPath());
                assertEquals("HTTP", probe.getHttpGet().getScheme());
                // The replica listens on a port of its own where the container listens on its port.
                assertEquals(
                        containerPort(container),
                        portNumber(container, probe.getHttpGet().getPort()),
                        path);
                URI uri = replica.baseUri().resolve(probe.getHttpGet().getPath().substring(1));
                assertEquals(200, statusOf(uri), uri + " with " + settings);
            });
        }
    }

    @Test
    void containerAndServicePortsAreTheApplicationsPort() {
        int port = Integer.parseInt(prodValue("quarkus.http.port"));
        assertEquals(port, containerPort(container()));
        ServicePort servicePort =
                object(Service.class, NAME).getSpec().getPorts().get(0);
        assertEquals(80, servicePort.getPort());
        assertEquals(port, portNumber(container(), servicePort.getTargetPort()));
    }

    @Test
    void resourcesAreRequestedAndLimited() {
        ResourceRequirements resources = container().getResources();
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = resources.getRequests().get(resource);
            Quantity limit = resources.getLimits().get(resource);
            assertNotNull(request, resource);
            assertNotNull(limit, resource);
            assertTrue(
                    Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) <= 0,
                    resource + " request " + request + " above limit " + limit);
        }
    }

    @Test
    void runsAsTheImagesNonRootUserWithoutPrivileges() throws IOException {
        PodSpec pod = podSpec();
        PodSecurityContext podContext = pod.getSecurityContext();
        assertEquals(Boolean.TRUE, podContext.getRunAsNonRoot());
        Matcher user = Pattern.compile("(?m)^USER (\\d+)$").matcher(Files.readString(DOCKERFILE));
        assertTrue(user.find(), DOCKERFILE + " names no numeric USER");
        assertEquals(Long.valueOf(user.group(1)), podContext.getRunAsUser());

        SecurityContext context = container().getSecurityContext();
        assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
        assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem());
        // A read-only root needs a writable /tmp for the JVM and Vert.x: an emptyDir.
        VolumeMount tmp = container().getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume on /tmp"));
        Volume volume = pod.getVolumes().stream()
                .filter(candidate -> candidate.getName().equals(tmp.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + tmp.getName()));
        assertNotNull(volume.getEmptyDir(), "/tmp is an emptyDir");
        assertFalse(Boolean.TRUE.equals(tmp.getReadOnly()));
    }

    @Test
    void gracePeriodCoversTheShutdownDelayAndTimeout() {
        assertEquals("true", prodValue("quarkus.shutdown.delay-enabled"));
        Duration shutdown = DurationConverter.parseDuration(prodValue("quarkus.shutdown.delay"))
                .plus(DurationConverter.parseDuration(prodValue("quarkus.shutdown.timeout")));
        long grace = podSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace > shutdown.toSeconds(), "terminationGracePeriodSeconds " + grace + " <= " + shutdown);
    }

    @Test
    void environmentComesFromTheOptionalConfigMapAndSecret() {
        List<EnvFromSource> sources = container().getEnvFrom();
        assertEquals(2, sources.size(), sources::toString);
        assertEquals("rendezvous-config", sources.get(0).getConfigMapRef().getName());
        assertEquals(Boolean.TRUE, sources.get(0).getConfigMapRef().getOptional());
        assertEquals("rendezvous-secrets", sources.get(1).getSecretRef().getName());
        assertEquals(Boolean.TRUE, sources.get(1).getSecretRef().getOptional());
    }

    @Test
    void everyConfigMapAndSecretKeyIsAPropertyTheApplicationReads() throws IOException {
        Set<String> names = new TreeSet<>(
                object(ConfigMap.class, "rendezvous-config").getData().keySet());
        Secret secret = object(Secret.class, "rendezvous-secrets");
        if (secret.getData() != null) {
            names.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            names.addAll(secret.getStringData().keySet());
        }
        // The fragment documents the Secret's keys in comments (it holds none, so that applies never reset them).
        Matcher documented = ENV_NAME.matcher(Files.readString(FRAGMENT));
        while (documented.find()) {
            names.add(documented.group());
        }
        assertTrue(names.containsAll(Set.of("RENDEZVOUS_API_KEYS", "QUARKUS_REDIS_PASSWORD")), names::toString);
        for (String name : names) {
            property(name);
        }
    }

    @Test
    void disruptionBudgetOfTheRedisShapeSelectsThePods() throws IOException {
        List<HasMetadata> objects = readAll(PDB);
        assertEquals(1, objects.size());
        PodDisruptionBudget budget = (PodDisruptionBudget) objects.get(0);
        assertEquals(1, budget.getSpec().getMinAvailable().getIntVal());
        Map<String, String> selector = budget.getSpec().getSelector().getMatchLabels();
        assertEquals(Map.of("app.kubernetes.io/name", NAME), selector);
        Map<String, String> podLabels = object(Deployment.class, NAME)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), podLabels::toString);
        assertEquals(
                object(Deployment.class, NAME).getSpec().getSelector().getMatchLabels(),
                object(Service.class, NAME).getSpec().getSelector());
    }

    /**
     * The property an environment variable sets, the SmallRye way: the known property whose name, with
     * every character other than a letter or digit replaced by {@code _} and upper-cased, is the
     * variable's name.
     */
    private static String property(String env) {
        Set<String> known = new TreeSet<>(QUARKUS_KEYS);
        known.addAll(mappedProperties("rendezvous", RendezvousConfig.class));
        List<String> matches = known.stream()
                .filter(name -> name.replaceAll("[^A-Za-z0-9]", "_")
                        .toUpperCase(Locale.ROOT)
                        .equals(env))
                .toList();
        assertEquals(1, matches.size(), env + " is not one property the application reads, of " + known);
        return matches.get(0);
    }

    /** The property names of a {@code @ConfigMapping} interface, nested groups included. */
    private static Set<String> mappedProperties(String prefix, Class<?> mapping) {
        Set<String> names = new TreeSet<>();
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isSynthetic()
                    || method.isDefault()
                    || Modifier.isStatic(method.getModifiers())
                    || method.getParameterCount() > 0) {
                continue;
            }
            WithName renamed = method.getAnnotation(WithName.class);
            String name = prefix + "."
                    + (renamed != null
                            ? renamed.value()
                            : method.getName()
                                    .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                                    .toLowerCase(Locale.ROOT));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == RendezvousConfig.class) {
                names.addAll(mappedProperties(name, type));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static List<HasMetadata> readAll(Path file) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<HasMetadata> documents =
                STRICT.readerFor(HasMetadata.class).<HasMetadata>readValues(file.toFile())) {
            while (documents.hasNext()) {
                objects.add(documents.next());
            }
        }
        return objects;
    }

    private static <T extends HasMetadata> T object(Class<T> type, String name) {
        return manifest.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(object -> object.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + MANIFEST));
    }

    private static PodSpec podSpec() {
        return object(Deployment.class, NAME).getSpec().getTemplate().getSpec();
    }

    private static Container container() {
        List<Container> containers = podSpec().getContainers();
        assertEquals(1, containers.size());
        assertEquals(NAME, containers.get(0).getName());
        return containers.get(0);
    }

    private static int containerPort(Container container) {
        List<ContainerPort> ports = container.getPorts();
        assertEquals(1, ports.size(), ports::toString);
        return ports.get(0).getContainerPort();
    }

    /** A port given by number or by the name of one of the container's ports. */
    private static int portNumber(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(candidate -> port.getStrVal().equals(candidate.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()))
                .getContainerPort();
    }

    /** The value in the prod profile, which the manifests deploy. */
    private static String prodValue(String key) {
        String value = properties.getProperty("%prod." + key, properties.getProperty(key));
        assertNotNull(value, key + " is not set in " + PROPERTIES);
        return value.strip();
    }

    private static int statusOf(URI uri) {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
