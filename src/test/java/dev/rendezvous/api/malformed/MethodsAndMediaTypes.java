package dev.rendezvous.api.malformed;

import static dev.rendezvous.support.Api.BASE;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Requests no resource serves: methods an endpoint does not answer, bodies in media types the JSON
 * endpoints do not read, and media types that do not parse.
 */
final class MethodsAndMediaTypes extends Inputs {

    MethodsAndMediaTypes(Random random, LiveCorrelations live) {
        super(random, live);
    }

    /** Methods that no resource answers: 405, whatever the path or body. */
    void methods() {
        Map<String, List<String>> refused = new LinkedHashMap<>();
        refused.put("", List.of("PUT", "PATCH", "DELETE", "GET"));
        refused.put("/{id}", List.of("PUT", "PATCH", "POST"));
        refused.put("/{id}/result", List.of("PUT", "PATCH", "DELETE"));
        refused.put("/{id}/failure", List.of("GET", "PUT", "PATCH", "DELETE"));
        refused.put("/{id}/heartbeat", List.of("GET", "PUT", "PATCH", "DELETE"));
        refused.forEach((suffix, methods) -> {
            for (String method : methods) {
                for (String id : new String[] {pending(), completed(), unknownId()}) {
                    String target = suffix.isEmpty() ? BASE : BASE + suffix.replace("{id}", id);
                    byte[] body = random.nextBoolean() ? "{}".getBytes(StandardCharsets.UTF_8) : null;
                    List<String> headers = body == null
                            ? List.of()
                            : List.of("Content-Type: application/json", "Authorization: Bearer " + JUNK_TOKEN);
                    add(Attempt.of("methods", method, target, headers, body));
                    if (suffix.isEmpty()) {
                        break;
                    }
                }
            }
        });
    }

    /** Bodies for the JSON endpoints in other media types (415), and media types that do not parse. */
    void mediaTypes() {
        String[] types = {
            "text/plain", "application/xml", "text/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/octet-stream", "text/html", "application/json-seq"
        };
        for (String type : types) {
            add(typed("media-types", "CREATE", null, type, "{}"));
            add(typed("media-types", "FAIL", pending(), type, "{}"));
            add(typed("media-types", "HEARTBEAT", pending(), type, "{}"));
        }
        String[] malformed = {
            "application/",
            "/json",
            "json",
            ";;;",
            "application/json;;",
            "application/json; charset=klingon",
            "application/json; charset=",
            "application/json; charset=utf-16",
            "application/json; =x",
            "a/b/c",
            "\"application/json\"",
            "application/json, text/plain",
            "*/*",
            "application/*",
            "\u00e9/\u00e9",
            " "
        };
        for (String type : malformed) {
            // A body with an invalid value: accepted or not, the answer must be a 4xx problem.
            add(typed("media-types", "CREATE", null, type, "{\"ttl\":0}"));
            add(typed("media-types", "FAIL", pending(), type, "{\"status\":0}"));
            add(typed("media-types", "HEARTBEAT", pending(), type, "{\"ttl\":0}"));
            add(typed("media-types", "DELIVER", pending(), type, "x"));
        }
    }
}
