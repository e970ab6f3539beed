package dev.rendezvous.api.malformed;

import static dev.rendezvous.support.Api.BASE;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A family of malformed inputs: what its generators share, the seeded {@link Random} and the live
 * correlations to aim at, and the request builders. Every family draws from the one {@code Random}
 * of the barrage, in the order {@link Barrage} calls them.
 */
abstract class Inputs {

    static final String JUNK_TOKEN = "not-the-token";

    /** The endpoints with a correlation ID in their path, by the names {@link #path} knows. */
    static final List<String> ID_ENDPOINTS = List.of("STATUS", "RESULT", "CANCEL", "DELIVER", "FAIL", "HEARTBEAT");

    private static final Pattern UNDECODABLE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    final Random random;
    final LiveCorrelations live;
    private final List<Attempt> cases = new ArrayList<>();

    Inputs(Random random, LiveCorrelations live) {
        this.random = random;
        this.live = live;
    }

    /** The requests generated so far, in order. */
    List<Attempt> cases() {
        return cases;
    }

    void add(Attempt attempt) {
        cases.add(attempt);
    }

    // ---------------------------------------------------------------- requests

    /** A JSON body posted to an endpoint; callbacks carry a junk token. */
    Attempt json(String family, String endpoint, String id, String body) {
        return typed(family, endpoint, id, "application/json", body);
    }

    Attempt typed(String family, String endpoint, String id, String type, String body) {
        String target = endpoint.equals("CREATE") ? BASE : path(endpoint, id);
        List<String> headers = new ArrayList<>();
        headers.add("Content-Type: " + type);
        if (!endpoint.equals("CREATE")) {
            headers.add("Authorization: Bearer " + JUNK_TOKEN);
        }
        return Attempt.of(family, "POST", target, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static Attempt get(String family, String target) {
        return Attempt.of(family, "GET", target, List.of(), null);
    }

    /** A request to one endpoint for a path ID as given (already encoded); callbacks carry a junk token. */
    static Attempt callbackOr(String family, String endpoint, String encodedId) {
        return switch (endpoint) {
            case "STATUS", "RESULT" -> get(family, path(endpoint, encodedId));
            case "CANCEL" -> Attempt.of(family, "DELETE", path(endpoint, encodedId), List.of(), null);
            default -> callback(family, endpoint, encodedId, "", List.of("Authorization: Bearer " + JUNK_TOKEN));
        };
    }

    /** A well-formed callback body for the endpoint, so that only the token or the path is wrong. */
    static Attempt callback(String family, String endpoint, String id, String query, List<String> auth) {
        List<String> headers = new ArrayList<>(auth == null ? List.of() : auth);
        String body;
        switch (endpoint) {
            case "DELIVER" -> {
                headers.add("Content-Type: text/plain");
                body = "fuzz";
            }
            case "FAIL" -> {
                headers.add("Content-Type: application/json");
                body = "{\"title\":\"fuzz\",\"status\":422}";
            }
            default -> {
                headers.add("Content-Type: application/json");
                body = "{\"ttl\":60}";
            }
        }
        return Attempt.of(family, "POST", path(endpoint, id) + query, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static String path(String endpoint, String id) {
        String self = BASE + "/" + id;
        return switch (endpoint) {
            case "CREATE" -> BASE;
            case "STATUS", "CANCEL" -> self;
            case "RESULT", "DELIVER" -> self + "/result";
            case "FAIL" -> self + "/failure";
            case "HEARTBEAT" -> self + "/heartbeat";
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    /**
     * Whether {@code text} holds a percent sign that starts no valid escape: Vert.x refuses such a
     * path or query before any route runs, with a bare 400 the application never sees.
     */
    static boolean undecodable(String text) {
        return UNDECODABLE.matcher(text).find();
    }

    // ---------------------------------------------------------------- IDs

    String pending() {
        return live.pendingIds.get(random.nextInt(live.pendingIds.size()));
    }

    String completed() {
        List<String> ids = new ArrayList<>(live.completedBodies.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    String unknownId() {
        return "fuzz-unknown-" + Long.toHexString(random.nextLong());
    }

    String anyLiveOrUnknownId() {
        return switch (random.nextInt(3)) {
            case 0 -> pending();
            case 1 -> completed();
            default -> unknownId();
        };
    }

    // ---------------------------------------------------------------- text

    String digits(int count) {
        StringBuilder digits = new StringBuilder().append((char) ('1' + random.nextInt(9)));
        while (digits.length() < count) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    /** Random code points from the whole range, control characters and astral planes included. */
    String randomText(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int codePoint = random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(0x10FFFF);
            if (codePoint < 0xD800 || codePoint > 0xDFFF) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        text.chars().forEach(c -> {
            if (c < 0x20 || c == '"' || c == '\\') {
                json.append(String.format("\\u%04x", c));
            } else {
                json.append((char) c);
            }
        });
        return json.append('"').toString();
    }
}
