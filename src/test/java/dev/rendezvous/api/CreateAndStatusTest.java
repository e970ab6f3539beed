package dev.rendezvous.api;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.between;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.postCorrelation;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.Api.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.rendezvous.support.Api;
import dev.rendezvous.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class CreateAndStatusTest {

    private static final String URL_SAFE = "[A-Za-z0-9_-]+";

    @Test
    void ignoresForwardingHeadersUnlessAProxyIsTrusted() {
        String id = uniqueId("forwarded");

        Response created = Api.given()
                .header("X-Forwarded-Host", "attacker.example")
                .header("X-Forwarded-Proto", "https")
                .header("Forwarded", "host=attacker.example;proto=https")
                .contentType("application/json")
                .body(Map.of("id", id))
                .post(BASE);

        created.then().statusCode(201);
        assertThat(created.header("Location"), startsWith("http://localhost:"));
        assertThat(created.path("callbackUrl"), not(containsString("attacker.example")));
    }

    @Test
    void createsWithServerChosenUnguessableId() {
        Response first = postCorrelation("{}");
        Response second = postCorrelation("{}");

        first.then().statusCode(201).contentType(containsString("application/json"));
        String id = first.jsonPath().getString("id");
        // 128 random bits take at least 22 base64url characters.
        assertThat(id.length(), greaterThanOrEqualTo(22));
        assertThat(id, matchesPattern(URL_SAFE));
        assertThat(second.jsonPath().getString("id"), not(equalTo(id)));
        assertThat(Api.state(id), equalTo("pending"));
    }

    @Test
    void createsWithoutAnyBody() throws IOException {
        // What `curl -X POST` sends: no body and so no Content-Type; the body is optional.
        RawHttp.Answer created = RawHttp.exchange("POST " + BASE + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Length: 0\r\n"
                + "Connection: close\r\n"
                + "\r\n");

        assertThat(created.status(), equalTo(201));
        assertThat(created.headers().get("Content-Type"), containsString("application/json"));
        String id = JsonPath.from(created.body()).getString("id");
        assertThat(Api.state(id), equalTo("pending"));
    }

    @Test
    void createsWithEmptyOrNullJsonBody() {
        for (String body : new String[] {"", "null"}) {
            Response created = postCorrelation(body);

            created.then().statusCode(201).contentType(containsString("application/json"));
            assertThat(Api.state(created.jsonPath().getString("id")), equalTo("pending"));
        }
    }

    @Test
    void createsWithClientChosenId() {
        String id = uniqueId("order");

        JsonPath created = create(id);

        assertThat(created.getString("id"), equalTo(id));
        assertThat(created.getString("state"), equalTo("pending"));
        assertThat(Api.state(id), equalTo("pending"));
    }

    @Test
    void acceptsEveryCharacterAnIdMayHave() {
        String id = "A-z_0.9~:" + uniqueId("x");

        create(id);

        Api.status(id).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void acceptsAnIdOf128Characters() {
        String id = (uniqueId("long") + "x".repeat(128)).substring(0, 128);

        create(id);

        Api.status(id).then().statusCode(200).body("id", equalTo(id));
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 86_400})
    void expiresAfterTheRequestedTtlUpToTheMaximum(long ttl) {
        JsonPath created = create(uniqueId("ttl"), ttl);

        assertThat(lifetime(created), equalTo(Duration.ofSeconds(ttl)));
    }

    @Test
    void expiresAfterTheDefaultTtlWhenNoneIsGiven() {
        JsonPath created = create(uniqueId("default-ttl"));

        assertThat(lifetime(created), equalTo(Duration.ofMinutes(5)));
    }

    @Test
    void answersCreateWithAbsoluteLocationNoStoreAndTokenOnce() {
        String id = uniqueId("created");

        Response created = postCorrelation(Map.of("id", id));

        created.then()
                .statusCode(201)
                .contentType(containsString("application/json"))
                .header("Cache-Control", "no-store")
                .header("Location", startsWith("http"))
                .header("Location", endsWith(url(id)));
        String token = created.jsonPath().getString("callbackToken");
        // 128 random bits at least, base64url.
        assertThat(token, matchesPattern(URL_SAFE));
        assertThat(token.length(), greaterThanOrEqualTo(22));
        String links = created.jsonPath().getString("links.result");
        assertThat(created.jsonPath().getString("callbackUrl"), equalTo(links + "?token=" + token));
        assertThat(created.header("Location"), equalTo(created.jsonPath().getString("links.self")));
    }

    @Test
    void linksAreAbsoluteUrlsOfEachResource() {
        String id = uniqueId("links");

        JsonPath created = create(id);

        String self = created.getString("links.self");
        assertThat(self, startsWith("http"));
        assertThat(self, endsWith(url(id)));
        assertThat(created.getString("links.result"), equalTo(self + "/result"));
        assertThat(created.getString("links.events"), equalTo(self + "/events"));
        assertThat(created.getString("links.failure"), equalTo(self + "/failure"));
        assertThat(created.getString("links.heartbeat"), equalTo(self + "/heartbeat"));
        Api.status(id)
                .then()
                .statusCode(200)
                .body("links.self", equalTo(self))
                .body("links.result", equalTo(self + "/result"))
                .body("links.events", equalTo(self + "/events"))
                .body("links.failure", equalTo(self + "/failure"))
                .body("links.heartbeat", equalTo(self + "/heartbeat"));
    }

    @Test
    void callbackUrlDeliversTheResultAsItIs() {
        String id = uniqueId("callback-url");
        JsonPath created = create(id);

        RestAssured.given()
                .urlEncodingEnabled(false)
                .contentType("application/json")
                .body("{\"ok\":true}")
                .when()
                .post(created.getString("callbackUrl"))
                .then()
                .statusCode(204);

        Api.result(id).then().statusCode(200).body(equalTo("{\"ok\":true}"));
    }

    @Test
    void statusShowsStateAndTimesButNeverTheToken() {
        String id = uniqueId("status");
        JsonPath created = create(id, 120);
        String token = created.getString("callbackToken");

        Response status = Api.status(id);

        status.then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("id", equalTo(id))
                .body("state", equalTo("pending"))
                .body("createdAt", equalTo(created.getString("createdAt")))
                .body("expiresAt", equalTo(created.getString("expiresAt")))
                .body("$", not(hasKey("completedAt")))
                .body("$", not(hasKey("callbackToken")))
                .body("$", not(hasKey("callbackUrl")))
                .body("links.self", notNullValue());
        assertThat(status.asString(), not(containsString(token)));
    }

    @Test
    void statusOfCompletedCorrelationShowsCompletedAtButNeverTheToken() {
        String id = uniqueId("status-done");
        String token = create(id).getString("callbackToken");
        deliver(id, token, "done").then().statusCode(204);

        Response status = Api.status(id);

        status.then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("state", equalTo("completed"))
                .body("completedAt", notNullValue())
                .body("callbackToken", nullValue());
        assertThat(status.asString(), not(containsString(token)));
    }

    @Test
    void refusesDuplicateIdWithoutIssuingNewToken() {
        String id = uniqueId("dup");
        String token = create(id, 120).getString("callbackToken");
        String expiresAt = Api.status(id).path("expiresAt");

        Response duplicate = postCorrelation(Map.of("id", id, "ttl", 600));

        assertProblem(duplicate, 409, BASE);
        assertThat(duplicate.asString(), not(containsString("callbackToken")));
        assertThat(duplicate.header("Location"), nullValue());
        Api.status(id).then().statusCode(200).body("state", equalTo("pending")).body("expiresAt", equalTo(expiresAt));
        deliver(id, token, "original token").then().statusCode(204);
        Api.result(id).then().statusCode(200).body(equalTo("original token"));
    }

    @Test
    void answersUnknownStatusWith404Problem() {
        String id = uniqueId("unknown");

        Response status = Api.status(id);

        assertProblem(status, 404, url(id));
    }

    private static Duration lifetime(JsonPath created) {
        return between(created.getString("createdAt"), created.getString("expiresAt"));
    }
}
