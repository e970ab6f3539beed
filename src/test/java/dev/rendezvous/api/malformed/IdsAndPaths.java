package dev.rendezvous.api.malformed;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Correlation IDs no correlation can have, in the path of every endpoint and in the create body:
 * Unicode and control characters, percent-encoded bytes, overlong UTF-8, traversals, over-long IDs.
 */
final class IdsAndPaths extends Inputs {

    IdsAndPaths(Random random, LiveCorrelations live) {
        super(random, live);
    }

    /** Unicode and control characters in IDs, in the path and in the create body. */
    void unicodeAndControlIds() {
        List<String> ids = new ArrayList<>(List.of(
                "caf\u00e9",
                "\u65e5\u672c\u8a9e",
                "\ud83d\ude00",
                "a\u202eb",
                "\ufeffa",
                "a\u00a0b",
                "a\u0000b",
                "\u0001",
                "a\tb",
                "a\nb",
                "a\r\nX-Injected: 1",
                "\u007f",
                "a\u0085b",
                "\u2028",
                "\uffff"));
        for (int i = 0; i < 5; i++) {
            ids.add(randomText(1 + random.nextInt(40)));
        }
        for (String id : ids) {
            for (String endpoint : ID_ENDPOINTS) {
                add(callbackOr("unicode-ids", endpoint, encode(id)));
            }
            add(json("unicode-ids", "CREATE", null, "{\"id\":" + jsonString(id) + "}"));
            add(json("unicode-ids", "CREATE", null, "{\"id\":\"" + id + "\"}")); // control characters unescaped
        }
        for (String id : new String[] {
            "\\ud800",
            "\\udfff",
            "a\\u0000",
            "\\u002e\\u002e",
            ".",
            "..",
            "",
            " ",
            "a/b",
            "a%2Fb",
            "x".repeat(129),
            "x".repeat(100_000)
        }) {
            add(json("unicode-ids", "CREATE", null, "{\"id\":\"" + id + "\"}"));
        }
        add(json("unicode-ids", "CREATE", null, "{\"signing\":\"yes\"}"));
        add(json("unicode-ids", "CREATE", null, "{\"signing\":1}"));
    }

    /** Percent-encoded, overlong-UTF-8, traversal and over-long IDs in the path. */
    void encodedAndTraversalIds() {
        String liveId = live.pendingIds.get(0);
        List<String> ids = new ArrayList<>(List.of(
                "..%2F",
                "..%2f..%2f..%2fetc%2fpasswd",
                "%2e%2e",
                "%2E%2E",
                "%2e%2e%2f",
                ".%2e",
                "%2e.",
                "%2e",
                "..%5C",
                "%5C..%5C",
                "..%255c",
                "%00",
                "a%00",
                "%00a",
                "%C0%AE",
                "%C0%AE%C0%AE",
                "%C0%AE%C0%AE%C0%AF",
                "%E0%80%AE",
                "%F0%80%80%AE",
                "%ED%A0%80",
                "%FF",
                "%25",
                "%252e%252e",
                "%",
                "%%",
                "%zz",
                "%2",
                "%u002e",
                "a%0D%0AX-Injected:%201",
                "%20",
                "a%2Bb",
                "a+b",
                "a%3Fb=c",
                "a%23b",
                "x".repeat(129),
                "x".repeat(3500),
                liveId + "%00",
                liveId + "%2F",
                liveId + "%2f..",
                "..%2F" + liveId,
                liveId + "%20",
                "%20" + liveId,
                liveId + "%2F%2e%2e"));
        for (String id : ids) {
            for (String endpoint : ID_ENDPOINTS) {
                Attempt attempt = callbackOr("encoded-ids", endpoint, id);
                add(undecodable(id) ? attempt.byCodec() : attempt);
            }
        }
    }
}
