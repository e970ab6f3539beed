package dev.rendezvous.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasToString;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.correlation.rest.Problem;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.File;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hamcrest.Matcher;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /q/openapi} against the contract (API.md and the README's API
 * table): every endpoint with every answer it documents, problem answers as {@code
 * application/problem+json} with the Problem schema, the headers and parameters the contract names,
 * and the security schemes. The document is written by hand (META-INF/openapi.yaml, no annotation
 * scan), so it is also held to the code: every resource method with the parameters it declares, and
 * every schema with the members and types of the record it stands for.
 */
@QuarkusTest
class OpenApiTest {

    private static final String CORRELATIONS = "/v1/correlations";
    private static final String ONE = CORRELATIONS + "/{id}";
    private static final String EVENTS = "GET " + ONE + "/events";
    private static final String SUBMIT = "POST /v1/routes/{route}/correlations";
    private static final String JOBS = "GET /v1/routes/{route}/jobs";

    /**
     * Method and path → the status codes the contract gives it. {@code default} stands for the status
     * a worker's failure report names ({@code 400..599}); {@code 502} is that status when it names none.
     */
    private static final Map<String, List<String>> CONTRACT = new LinkedHashMap<>();

    static {
        CONTRACT.put("POST " + CORRELATIONS, List.of("201", "400", "401", "409", "411", "413", "415", "429", "503"));
        CONTRACT.put("GET " + ONE, List.of("200", "400", "401", "404", "503"));
        CONTRACT.put(
                "GET " + ONE + "/result", List.of("200", "202", "400", "401", "404", "410", "502", "503", "default"));
        CONTRACT.put("DELETE " + ONE, List.of("204", "400", "401", "404", "409", "503"));
        List<String> callback = List.of("400", "401", "404", "409", "410", "411", "413", "415", "503");
        CONTRACT.put("POST " + ONE + "/result", with("204", callback));
        CONTRACT.put("POST " + ONE + "/failure", with("204", callback));
        CONTRACT.put("POST " + ONE + "/heartbeat", with("200", callback));
        CONTRACT.put(
                SUBMIT,
                List.of(
                        "200", "202", "400", "401", "404", "409", "410", "411", "413", "415", "429", "502", "503",
                        "default"));
        CONTRACT.put(JOBS, List.of("200", "204", "400", "401", "404", "503"));
    }

    /** Server-Sent Events, checked once its resource exists. */
    private static final List<String> EVENTS_CODES = List.of("200", "400", "401", "404", "503");

    private static final Set<String> CLIENT =
            Set.of("POST " + CORRELATIONS, "GET " + ONE, "GET " + ONE + "/result", "DELETE " + ONE, EVENTS, SUBMIT);

    private static final List<String> PROBLEM_MEMBERS = List.of("type", "title", "status", "detail", "instance");

    /** Schema → the record that writes or reads it. */
    private static final Map<String, String> RECORDS = Map.of(
            "Create", "dev.rendezvous.correlation.rest.Requests$Create",
            "Failure", "dev.rendezvous.correlation.rest.Requests$Failure",
            "Heartbeat", "dev.rendezvous.correlation.rest.Requests$Heartbeat",
            "Created", "dev.rendezvous.correlation.rest.Views$Created",
            "Status", "dev.rendezvous.correlation.rest.Views$Status",
            "HeartbeatView", "dev.rendezvous.correlation.rest.Views$HeartbeatView",
            "Links", "dev.rendezvous.correlation.rest.Views$Links",
            "Problem", "dev.rendezvous.correlation.rest.Problem");

    /** The annotations that bind a resource method's parameter → where OpenAPI says it is. */
    private static final Map<Class<? extends Annotation>, String> BINDINGS = Map.of(
            RestPath.class, "path",
            PathParam.class, "path",
            RestQuery.class, "query",
            QueryParam.class, "query",
            RestHeader.class, "header",
            HeaderParam.class, "header");

    /** Headers that OpenAPI describes elsewhere: by the security schemes and by the bodies' media types. */
    private static final Set<String> UNDESCRIBED_HEADERS = Set.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE);

    private static JsonNode document;

    /** Fetched by the first test: RestAssured knows the application's random port only once tests run. */
    @BeforeEach
    void fetch() throws IOException {
        if (document == null) {
            String json = RestAssured.given()
                    .queryParam("format", "json")
                    .get("/q/openapi")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            document = new ObjectMapper().readTree(json);
        }
    }

    @Test
    void everyEndpointOfTheContractIsDescribedWithEveryAnswer() {
        for (Map.Entry<String, List<String>> endpoint : CONTRACT.entrySet()) {
            assertCodes(endpoint.getKey(), endpoint.getValue());
        }
    }

    @Test
    void theEventStreamIsDescribedOnceItExists() {
        Assumptions.assumeTrue(eventsResourceExists(), "EventsResource is not there yet");
        assertCodes(EVENTS, EVENTS_CODES);
        JsonNode ok = response(operation(EVENTS), "200");
        assertTrue(ok.path("content").has("text/event-stream"), EVENTS + " 200 is text/event-stream");
    }

    @Test
    void describesNoEndpointOutsideTheContract() {
        Set<String> expected = new TreeSet<>(CONTRACT.keySet());
        if (eventsResourceExists()) {
            expected.add(EVENTS);
        }
        assertThat(operations(), equalTo(expected));
    }

    @Test
    void everyErrorIsAProblemDocument() {
        for (String endpoint : operations()) {
            operation(endpoint).path("responses").fieldNames().forEachRemaining(code -> {
                if (code.startsWith("4") || code.startsWith("5") || code.equals("default")) {
                    JsonNode content = response(operation(endpoint), code).path("content");
                    List<String> types = new ArrayList<>();
                    content.fieldNames().forEachRemaining(types::add);
                    assertThat(endpoint + " " + code, types, equalTo(List.of(Problem.MEDIA_TYPE)));
                    JsonNode schema = resolve(content.path(Problem.MEDIA_TYPE).path("schema"));
                    List<String> members = new ArrayList<>();
                    schema.path("properties").fieldNames().forEachRemaining(members::add);
                    assertThat(
                            endpoint + " " + code + " schema", members, containsInAnyOrder(PROBLEM_MEMBERS.toArray()));
                }
            });
        }
    }

    @Test
    void headersOfTheContract() {
        assertHeaders("POST " + CORRELATIONS, "201", "Location", "Cache-Control");
        assertHeaders("POST " + CORRELATIONS, "429", "Retry-After");
        assertHeaders(
                "GET " + ONE + "/result",
                "200",
                "X-Content-Type-Options",
                "Content-Security-Policy",
                "Preference-Applied");
        assertHeaders("GET " + ONE + "/result", "202", "Retry-After", "Location", "Preference-Applied");
        for (String endpoint : operations()) {
            if (operation(endpoint).path("responses").has("503")) {
                assertHeaders(endpoint, "503", "Retry-After");
            }
        }
        for (String code : List.of("200", "202")) {
            assertHeaders(SUBMIT, code, "Location", "Rendezvous-Correlation-Id", "Preference-Applied");
        }
        assertHeaders(
                JOBS,
                "200",
                "Rendezvous-Correlation-Id",
                "Rendezvous-Callback-Url",
                "Rendezvous-Failure-Url",
                "Rendezvous-Heartbeat-Url",
                "Rendezvous-Deadline",
                "Rendezvous-Lease-Until",
                "Rendezvous-Attempt");
        assertHeaders(JOBS, "401", "WWW-Authenticate");
        assertHeaders("POST " + ONE + "/result", "401", "WWW-Authenticate");
        assertHeaders("GET " + ONE, "401", "WWW-Authenticate");
    }

    @Test
    void parametersOfTheContract() {
        assertParameters("GET " + ONE + "/result", "path:id", "query:wait", "query:consume", "header:Prefer");
        assertParameters(SUBMIT, "path:route", "query:id", "query:ttl", "header:Prefer");
        assertParameters(JOBS, "path:route", "query:wait");
        for (String callback : List.of("result", "failure", "heartbeat")) {
            assertParameters(
                    "POST " + ONE + "/" + callback,
                    "path:id",
                    "query:token",
                    "header:webhook-id",
                    "header:webhook-timestamp",
                    "header:webhook-signature");
        }
        for (String endpoint : operations()) {
            // Authorization is described by the security schemes; OpenAPI ignores it as a parameter.
            assertThat(endpoint, parameters(endpoint), everyItem(not(hasHeader("Authorization"))));
        }
    }

    @Test
    void bodiesOfTheContract() {
        JsonNode created = resolve(response(operation("POST " + CORRELATIONS), "201")
                .path("content")
                .path("application/json")
                .path("schema"));
        assertThat(
                fieldNames(created.path("properties")),
                hasItems("id", "state", "callbackToken", "callbackUrl", "links"));
        JsonNode result = response(operation("GET " + ONE + "/result"), "200").path("content");
        assertTrue(result.has("*/*"), "a result is answered in whatever media type the worker sent");
        JsonNode failure = resolve(operation("POST " + ONE + "/failure")
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema"));
        assertThat(fieldNames(failure.path("properties")), hasItems("title", "detail", "status"));
        JsonNode heartbeat = resolve(operation("POST " + ONE + "/heartbeat")
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema"));
        assertThat(fieldNames(heartbeat.path("properties")), hasItems("ttl", "details"));
    }

    @Test
    void getsTakeNoBody() {
        for (String endpoint : operations()) {
            if (endpoint.startsWith("GET ")) {
                assertThat(endpoint + " request body", operation(endpoint).has("requestBody"), equalTo(false));
            }
        }
    }

    @Test
    void schemasAreTheContractsNotTheFrameworks() {
        List<String> schemas = new ArrayList<>();
        document.path("components").path("schemas").fieldNames().forEachRemaining(schemas::add);

        // A context object the scanner took for a body would leave its schema behind.
        assertThat(
                schemas,
                containsInAnyOrder(
                        "Create",
                        "Created",
                        "Failure",
                        "Heartbeat",
                        "HeartbeatView",
                        "Instant",
                        "JsonObject",
                        "Links",
                        "Problem",
                        "Status"));
    }

    @Test
    void securitySchemes() {
        JsonNode schemes = document.path("components").path("securitySchemes");
        assertThat(schemes.path("apiKey").path("type").asText(), equalTo("http"));
        assertThat(schemes.path("apiKey").path("scheme").asText(), equalTo("bearer"));
        assertThat(schemes.path("callbackToken").path("scheme").asText(), equalTo("bearer"));
        assertThat(schemes.path("callbackTokenQuery").path("in").asText(), equalTo("query"));
        assertThat(schemes.path("callbackTokenQuery").path("name").asText(), equalTo("token"));
        for (String endpoint : operations()) {
            List<String> requirements = new ArrayList<>();
            operation(endpoint)
                    .path("security")
                    .forEach(requirement -> requirements.add(
                            requirement.isEmpty() ? "none" : String.join("+", fieldNames(requirement))));
            if (CLIENT.contains(endpoint)) {
                // API keys are optional: "none" says the client API is open without rendezvous.api-keys.
                assertThat(endpoint, requirements, containsInAnyOrder("apiKey", "none"));
            } else if (endpoint.equals(JOBS)) {
                assertThat(endpoint, requirements, containsInAnyOrder("workerKey"));
            } else {
                assertThat(endpoint, requirements, containsInAnyOrder("callbackToken", "callbackTokenQuery"));
            }
        }
    }

    @Test
    void describesEveryResourceMethodWithTheParametersItDeclares() throws Exception {
        Map<String, Set<String>> declared = resourceMethods();
        assertThat(operations(), equalTo(declared.keySet()));
        declared.forEach((endpoint, parameters) -> assertParameters(endpoint, parameters.toArray(String[]::new)));
    }

    @Test
    void schemasHaveTheMembersOfTheirRecords() throws ClassNotFoundException {
        for (Map.Entry<String, String> schema : RECORDS.entrySet()) {
            JsonNode properties = document.path("components")
                    .path("schemas")
                    .path(schema.getKey())
                    .path("properties");
            Map<String, String> expected = new TreeMap<>();
            for (RecordComponent member : Class.forName(schema.getValue()).getRecordComponents()) {
                if (!member.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                    expected.put(member.getName(), schemaOf(member));
                }
            }
            Map<String, String> served = new TreeMap<>();
            properties
                    .fields()
                    .forEachRemaining(property -> served.put(property.getKey(), schemaOf(property.getValue())));
            assertThat(schema.getKey() + " members", served, equalTo(expected));
        }
    }

    @Test
    void swaggerUiAnswers() {
        RestAssured.given().get("/q/swagger-ui").then().statusCode(200);
    }

    private static void assertCodes(String endpoint, List<String> codes) {
        JsonNode operation = operation(endpoint);
        List<String> documented = fieldNames(operation.path("responses"));
        assertThat(endpoint + " documents", documented, hasItems(codes.toArray(String[]::new)));
        for (String code : codes) {
            assertThat(
                    endpoint + " " + code + " has a description",
                    response(operation, code).path("description").asText(null),
                    notNullValue());
        }
        assertThat(endpoint + " documents only contract codes", documented, everyItem(in(codes)));
        assertThat(endpoint + " has a summary", operation.path("summary").asText(null), notNullValue());
    }

    private static void assertHeaders(String endpoint, String code, String... headers) {
        JsonNode response = response(operation(endpoint), code);
        assertThat(endpoint + " " + code + " headers", fieldNames(response.path("headers")), hasItems(headers));
    }

    private static void assertParameters(String endpoint, String... expected) {
        List<String> found = new ArrayList<>();
        for (JsonNode parameter : parameters(endpoint)) {
            found.add(
                    parameter.path("in").asText() + ":" + parameter.path("name").asText());
            assertThat(
                    endpoint + " " + parameter.path("name").asText() + " is described",
                    parameter.path("description").asText(null),
                    notNullValue());
        }
        assertThat(endpoint + " parameters", found, hasItems(expected));
    }

    private static Matcher<JsonNode> hasHeader(String name) {
        return allOf(
                hasToString(containsString("\"in\":\"header\"")),
                hasToString(containsString("\"name\":\"" + name + "\"")));
    }

    /** The operation's own parameters and those of its path item, resolved. */
    private static List<JsonNode> parameters(String endpoint) {
        List<JsonNode> parameters = new ArrayList<>();
        String path = endpoint.substring(endpoint.indexOf(' ') + 1);
        document.path("paths").path(path).path("parameters").forEach(p -> parameters.add(resolve(p)));
        operation(endpoint).path("parameters").forEach(p -> parameters.add(resolve(p)));
        return parameters;
    }

    private static Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/v1/")) {
                path.getValue().fieldNames().forEachRemaining(method -> {
                    if (!method.equals("parameters")) {
                        operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                });
            }
        });
        return operations;
    }

    private static JsonNode operation(String endpoint) {
        String[] methodAndPath = endpoint.split(" ", 2);
        JsonNode operation =
                document.path("paths").path(methodAndPath[1]).path(methodAndPath[0].toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            fail("/q/openapi does not describe " + endpoint + "; it describes " + operations());
        }
        return operation;
    }

    private static JsonNode response(JsonNode operation, String code) {
        return resolve(operation.path("responses").path(code));
    }

    /** Follows a local {@code $ref} such as {@code #/components/responses/NotFound}. */
    private static JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        for (int hops = 0; resolved.has("$ref") && hops < 5; hops++) {
            String ref = resolved.path("$ref").asText();
            assertTrue(ref.startsWith("#/"), "local reference: " + ref);
            resolved = document.at(ref.substring(1));
            assertThat("reference " + ref + " resolves", resolved.isMissingNode(), equalTo(false));
        }
        return resolved;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> with(String success, List<String> errors) {
        List<String> codes = new ArrayList<>(errors);
        codes.add(0, success);
        return List.copyOf(codes);
    }

    /**
     * The JAX-RS resource methods under {@code /v1}, read from the compiled classes: {@code "METHOD
     * /path"} → the parameters they declare ({@code in:name}), those of a {@code @BeanParam} included.
     */
    private static Map<String, Set<String>> resourceMethods() throws IOException, ReflectiveOperationException {
        Path classes = Path.of("target", "classes");
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(file -> classes.relativize(file).toString())
                    .filter(file -> file.endsWith(".class"))
                    .map(file ->
                            file.substring(0, file.length() - ".class".length()).replace(File.separatorChar, '.'))
                    .toList();
        }
        Map<String, Set<String>> endpoints = new TreeMap<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, OpenApiTest.class.getClassLoader());
            jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = httpMethod(method);
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                String path = (root.value() + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                if (verb != null && path.startsWith("/v1/")) {
                    endpoints.put(verb + " " + path, declaredParameters(method));
                }
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static Set<String> declaredParameters(Method method) throws ReflectiveOperationException {
        Set<String> declared = new TreeSet<>();
        for (Parameter parameter : method.getParameters()) {
            if (parameter.isAnnotationPresent(BeanParam.class)) {
                for (Field field : parameter.getType().getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        addDeclared(declared, field, field.getName());
                    }
                }
            } else {
                addDeclared(declared, parameter, parameter.getName());
            }
        }
        return declared;
    }

    /** Adds {@code in:name} for an element bound to a path segment, query parameter or header. */
    private static void addDeclared(Set<String> declared, AnnotatedElement element, String javaName)
            throws ReflectiveOperationException {
        for (Map.Entry<Class<? extends Annotation>, String> binding : BINDINGS.entrySet()) {
            Annotation annotation = element.getAnnotation(binding.getKey());
            if (annotation != null) {
                String value = (String) binding.getKey().getMethod("value").invoke(annotation);
                String name = value.isEmpty() ? javaName : value;
                if (!(binding.getValue().equals("header") && UNDESCRIBED_HEADERS.contains(name))) {
                    declared.add(binding.getValue() + ":" + name);
                }
            }
        }
    }

    /** How a record member is written in a schema: a type (and format), or the schema it refers to. */
    private static String schemaOf(RecordComponent member) {
        Class<?> type = member.getType();
        if (type == ObjectNode.class || member.getAccessor().isAnnotationPresent(JsonRawValue.class)) {
            return "#/components/schemas/JsonObject";
        } else if (type == String.class) {
            return "string";
        } else if (type == Long.class || type == long.class) {
            return "integer/int64";
        } else if (type == Integer.class || type == int.class) {
            return "integer/int32";
        } else if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        } else if (type == Instant.class) {
            return "#/components/schemas/Instant";
        }
        return "#/components/schemas/" + type.getSimpleName();
    }

    private static String schemaOf(JsonNode property) {
        if (property.has("$ref")) {
            return property.path("$ref").asText();
        }
        String type = property.path("type").asText();
        return property.has("format") ? type + "/" + property.path("format").asText() : type;
    }

    private static boolean eventsResourceExists() {
        try {
            Class.forName("dev.rendezvous.correlation.rest.EventsResource");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
