package dev.rendezvous.api.malformed;

import static dev.rendezvous.support.Api.uniqueId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed JSON bodies for create, failure and heartbeat (and the result's {@code ?wait=}): random
 * bytes, deep nesting, numbers out of range or not numbers at all, and NUL characters.
 */
final class JsonBodies extends Inputs {

    JsonBodies(Random random, LiveCorrelations live) {
        super(random, live);
    }

    /** Random bytes as a JSON body, labelled application/json, something else or nothing. */
    void randomBytes() {
        String[] endpoints = {"CREATE", "FAIL", "HEARTBEAT", "DELIVER"};
        for (int i = 0; i < 64; i++) {
            String endpoint = endpoints[i % endpoints.length];
            byte[] body = new byte[1 + random.nextInt(i % 8 == 0 ? 200_000 : 2048)];
            random.nextBytes(body);
            body[0] = (byte) ('!' + random.nextInt(90)); // never only whitespace, which reads as no body
            if (body[0] == '{' || body[0] == '[' || body[0] == '"' || Character.isDigit(body[0])) {
                body[0] = '#';
            }
            List<String> headers = new ArrayList<>();
            switch (i % 3) {
                case 0 -> headers.add("Content-Type: application/json");
                case 1 -> headers.add("Content-Type: application/octet-stream");
                default -> {
                    // no Content-Type at all
                }
            }
            headers.add("Authorization: Bearer " + JUNK_TOKEN);
            add(Attempt.of("random-bytes", "POST", path(endpoint, anyLiveOrUnknownId()), headers, body));
        }
    }

    /** Arrays and objects nested 10 to 100000 deep, whole or as a member's value, closed or not. */
    void nesting() {
        List<Integer> depths = new ArrayList<>(List.of(10, 31, 32, 33, 100, 1000, 10_000, 100_000));
        for (int i = 0; i < 8; i++) {
            depths.add(10 + random.nextInt(100_000 - 10));
        }
        for (int depth : depths) {
            String arrays = "[".repeat(depth) + "]".repeat(depth);
            String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            String unclosed = "[{\"a\":".repeat(depth / 2);
            add(json("nesting", "CREATE", null, arrays));
            add(json("nesting", "CREATE", null, "{\"id\":" + arrays + "}"));
            add(json("nesting", "CREATE", null, "{\"ttl\":" + objects + "}"));
            add(json("nesting", "HEARTBEAT", pending(), "{\"details\":" + objects + "}"));
            add(json("nesting", "HEARTBEAT", pending(), unclosed));
            add(json("nesting", "FAIL", pending(), "{\"title\":" + arrays + "}"));
        }
    }

    /** Out of range, negative, fractional, exponent, overflowing and 1000-digit numbers. */
    void numbers() {
        List<String> bad = new ArrayList<>(List.of(
                "0",
                "-1",
                "-0",
                "1.5",
                "1.0",
                "1e3",
                "1E+2",
                "-1e400",
                "1e400",
                "0.0001",
                "86401",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "18446744073709551616",
                "NaN",
                "Infinity",
                "-Infinity",
                "0x10",
                "01",
                "+1",
                "\"300\"",
                "true",
                "[]",
                "{}",
                "\"\""));
        bad.add(digits(20));
        bad.add(digits(21));
        bad.add(digits(1000));
        bad.add("-" + digits(1000));
        bad.add(digits(5000));
        bad.add("1" + "0".repeat(300) + ".5");
        bad.add("0." + digits(1000));
        for (String number : bad) {
            add(json("numbers", "CREATE", null, "{\"ttl\":" + number + "}"));
            add(json("numbers", "HEARTBEAT", pending(), "{\"ttl\":" + number + "}"));
            add(json("numbers", "FAIL", pending(), "{\"title\":\"t\",\"status\":" + number + "}"));
        }
        for (String status : new String[] {"399", "600", "200", "1000", "-422", "422.0", "4.22e2", "2147483648"}) {
            add(json("numbers", "FAIL", anyLiveOrUnknownId(), "{\"status\":" + status + "}"));
        }
        List<String> waits = new ArrayList<>(List.of(
                "-1",
                "301",
                "1.5",
                "1e2",
                "+1",
                "%2B1",
                "0x10",
                "%201",
                "1%20",
                "1%00",
                "300.0",
                "1_0",
                "99999999999999999999",
                "9223372036854775808",
                "true"));
        waits.add(digits(1000));
        waits.add("0".repeat(1000) + "1");
        for (String wait : waits) {
            add(get("numbers", path("RESULT", anyLiveOrUnknownId()) + "?wait=" + wait));
        }
        // Digits of other scripts (Arabic-Indic, Devanagari, fullwidth one) are not ASCII seconds.
        for (String wait : new String[] {"%D9%A1", "%E0%A5%A7", "%EF%BC%91"}) {
            add(get("numbers", path("RESULT", pending()) + "?wait=" + wait));
        }
    }

    /** NUL characters in JSON bodies and in a worker's result. */
    void nulBytes() {
        for (String body : new String[] {
            "{\"id\":\"a\u0000b\"}",
            "\u0000",
            "{\"id\":\"" + uniqueId("nul") + "\"}\u0000",
            "\u0000{\"ttl\":5}",
            "{\"ttl\":5\u0000}",
            "{\"ttl\u0000\":5}"
        }) {
            add(json("nul", "CREATE", null, body));
        }
        add(json("nul", "FAIL", pending(), "{\"title\":\"a\u0000\"}"));
        add(json("nul", "HEARTBEAT", pending(), "{\"details\":{\"a\u0000\":1}}"));
        add(Attempt.of(
                "nul",
                "POST",
                path("DELIVER", pending()),
                List.of("Content-Type: text/plain", "Authorization: Bearer " + JUNK_TOKEN),
                "\u0000\u0000x\u0000".getBytes(StandardCharsets.ISO_8859_1)));
    }
}
