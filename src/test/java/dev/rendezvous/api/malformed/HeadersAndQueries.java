package dev.rendezvous.api.malformed;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.uniqueId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Ambiguous and malformed parameters: a query parameter or header given twice, absurd {@code Prefer}
 * values, and missing, garbage, mangled or conflicting callback tokens. Several aim at a victim's
 * real token, which must not count when it comes with another.
 */
final class HeadersAndQueries extends Inputs {

    HeadersAndQueries(Random random, LiveCorrelations live) {
        super(random, live);
    }

    /** The same query parameter or header twice, even with the same value: ambiguous, so refused. */
    void duplicates() {
        String liveId = live.pendingIds.get(1);
        add(get("duplicates", path("RESULT", liveId) + "?wait=1&wait=2"));
        add(get("duplicates", path("RESULT", liveId) + "?wait=abc&wait=1"));
        add(get("duplicates", path("RESULT", liveId) + "?wait=1&wait=abc"));
        add(get("duplicates", path("RESULT", liveId) + "?wait=0&wait=301"));
        // Spellings the HTTP decoder reads as the same name: a stray '=' before it, an escape, case.
        add(get("duplicates", path("RESULT", liveId) + "?=wait=1&wait=2"));
        add(get("duplicates", path("RESULT", liveId) + "?w%61it=1;wait=2"));
        add(get("duplicates", path("RESULT", liveId) + "?WAIT=1&wait=2"));
        add(get("duplicates", path("RESULT", live.completedVictim()) + "?consume=true&consume=false"));
        add(get("duplicates", path("RESULT", live.completedVictim()) + "?consume=false&consume=true"));
        add(get("duplicates", path("RESULT", live.completedVictim()) + "?consume=true&consume=yes"));
        add(Attempt.of(
                "duplicates", "GET", path("RESULT", unknownId()), List.of("Prefer: wait=1", "Prefer: wait=2"), null));
        for (String endpoint : new String[] {"DELIVER", "FAIL", "HEARTBEAT"}) {
            add(callback("duplicates", endpoint, liveId, "?token=a&token=b", null));
            add(callback("duplicates", endpoint, liveId, "?==token=a&token=b", null));
            String first = uniqueId("fuzz-victim");
            add(callback("duplicates", endpoint, first, "?token=" + live.victim(first) + "&token=b", null));
            String second = uniqueId("fuzz-victim");
            add(callback("duplicates", endpoint, second, "?token=b&token=" + live.victim(second), null));
            String third = uniqueId("fuzz-victim");
            add(callback(
                    "duplicates",
                    endpoint,
                    third,
                    "",
                    List.of("Authorization: Bearer " + live.victim(third), "Authorization: Bearer b")));
            String fourth = uniqueId("fuzz-victim");
            add(callback(
                    "duplicates",
                    endpoint,
                    fourth,
                    "",
                    List.of("Authorization: Bearer b", "Authorization: Bearer " + live.victim(fourth))));
            // Header names are case-insensitive: a second spelling is the same header given twice.
            String fifth = uniqueId("fuzz-victim");
            add(callback(
                    "duplicates",
                    endpoint,
                    fifth,
                    "?token=" + live.victim(fifth),
                    List.of("webhook-id: msg_1", "Webhook-ID: msg_2")));
            String sixth = uniqueId("fuzz-victim");
            String sixthToken = live.victim(sixth);
            add(callback(
                    "duplicates",
                    endpoint,
                    sixth,
                    "",
                    List.of("Authorization: Bearer " + sixthToken, "AUTHORIZATION: Bearer " + sixthToken)));
        }
        add(Attempt.of(
                "duplicates",
                "POST",
                BASE,
                List.of("Content-Type: application/json", "Content-Type: application/xml"),
                "{}".getBytes(StandardCharsets.UTF_8)));
        add(Attempt.of(
                "duplicates",
                "POST",
                BASE,
                List.of("Content-Type: text/plain", "Content-Type: application/json"),
                "{}".getBytes(StandardCharsets.UTF_8)));
    }

    /** Absurd {@code Prefer} values: never a long hold, never a 5xx. */
    void preferences() {
        List<String> ignored = new ArrayList<>(List.of(
                "wait=99999999999999999999",
                "wait=-1",
                "wait=",
                "wait",
                "wait=abc",
                "wait=1.5",
                "wait=1e9",
                "wait=0x10",
                "wait=\"\"",
                "wait=\"",
                "wait=+5",
                "wait=5s",
                "wait=\u00e9",
                ",,,,,"));
        ignored.add("wait=" + "9".repeat(10_000));
        ignored.add(",".repeat(10_000));
        ignored.add("x".repeat(10_240));
        ignored.add("respond-async" + ", foo=bar".repeat(1000));
        ignored.add("wait=-" + digits(1000));
        List<String> valid = new ArrayList<>(List.of(
                "wait=99999999999",
                "wait=300",
                "wait=999999999999999999",
                "respond-async, wait=99999999999",
                "wait=\"300\"",
                "wait=1;wait=2"));
        valid.add(",".repeat(5000) + "wait=300");
        for (String preference : ignored) {
            // Ignored as the contract says: at once 202 on a pending correlation.
            add(Attempt.of("prefer", "GET", path("RESULT", pending()), List.of("Prefer: " + preference), null)
                    .expecting(202));
        }
        List<String> all = new ArrayList<>(ignored);
        all.addAll(valid);
        for (String preference : all) {
            List<String> header = List.of("Prefer: " + preference);
            add(Attempt.of("prefer", "GET", path("RESULT", unknownId()), header, null));
            add(Attempt.of("prefer", "GET", path("RESULT", "bad%2Fid"), header, null));
            add(Attempt.of("prefer", "GET", path("RESULT", pending()) + "?wait=abc", header, null));
            add(Attempt.of("prefer", "GET", path("RESULT", completed()) + "?consume=maybe", header, null));
        }
    }

    /** Missing, empty, garbage and conflicting callback tokens and Authorization headers. */
    void tokens() {
        List<List<String>> authorizations = new ArrayList<>(List.of(
                List.of(),
                List.of("Authorization:"),
                List.of("Authorization: Bearer"),
                List.of("Authorization: Bearer "),
                List.of("Authorization: Bearer      "),
                List.of("Authorization: Basic dXNlcjpwYXNz"),
                List.of("Authorization: Bearer a b"),
                List.of("Authorization: Bearer " + "t".repeat(10_000)),
                List.of("Authorization: Bearer \u00e9\u00e8"),
                List.of("Authorization: " + JUNK_TOKEN),
                List.of("Authorization: Bearer " + JUNK_TOKEN, "webhook-id: x"),
                List.of("Authorization: Bearer " + JUNK_TOKEN, "webhook-signature: v1,AAAA", "webhook-timestamp: x")));
        for (String endpoint : new String[] {"DELIVER", "FAIL", "HEARTBEAT"}) {
            for (List<String> authorization : authorizations) {
                add(callback("tokens", endpoint, anyLiveOrUnknownId(), "", authorization));
            }
            for (String query : new String[] {
                "?token=",
                "?token",
                "?token=%00",
                "?token=%FF",
                "?token=%zz",
                "?token=" + "t".repeat(3000),
                "?token=" + encode(randomText(20)),
                "?TOKEN=" + JUNK_TOKEN
            }) {
                Attempt attempt = callback("tokens", endpoint, anyLiveOrUnknownId(), query, List.of());
                add(undecodable(query) ? attempt.byCodec() : attempt);
            }
            // The real token together with another one, or mangled: refused, the victim untouched.
            String both = uniqueId("fuzz-victim");
            String token = live.victim(both);
            add(callback("tokens", endpoint, both, "?token=b", List.of("Authorization: Bearer " + token)));
            String other = uniqueId("fuzz-victim");
            add(callback(
                    "tokens", endpoint, other, "?token=" + live.victim(other), List.of("Authorization: Bearer b")));
            String mangled = uniqueId("fuzz-victim");
            String real = live.victim(mangled);
            add(callback("tokens", endpoint, mangled, "?token=" + real + "%00", List.of()));
            add(callback("tokens", endpoint, mangled, "", List.of("Authorization: Bearer " + real + " x")));
            add(callback(
                    "tokens",
                    endpoint,
                    mangled,
                    "",
                    List.of("Authorization: Bearer " + real.toUpperCase(Locale.ROOT))));
            add(callback("tokens", endpoint, mangled, "?token=" + real.substring(1), List.of()));
        }
    }
}
