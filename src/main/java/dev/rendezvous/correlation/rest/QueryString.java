package dev.rendezvous.correlation.rest;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a raw query string in place, without building a parameter map: a held long-poll would keep
 * such a map for as long as it waits, and most requests only ask for a name or two. Splits and
 * decodes as the HTTP layer's own decoder does: {@code &} and {@code ;} separate parameters, a
 * {@code #} ends the query, {@code =} signs before a name are skipped, a bare name has the empty
 * value, at most 1,024 parameters count, and {@code +} and {@code %XX} (UTF-8) are decoded.
 */
public final class QueryString {

    private static final int MAX_PARAMETERS = 1024;

    private QueryString() {}

    /** The decoded value of the first {@code name} parameter (case-sensitive), "" for a bare name, or null. */
    public static String first(String query, String name) {
        if (query == null) {
            return null;
        }
        Parameters parameters = new Parameters(query);
        while (parameters.advance()) {
            if (parameters.named(name, false)) {
                return parameters.value();
            }
        }
        return null;
    }

    /**
     * The first of {@code names} (at most 32, in their order) that {@code query} gives more than once,
     * compared without regard to case as the router's parameter map does; null when each comes once at most.
     */
    static String repeated(String query, List<String> names) {
        if (names.size() > Integer.SIZE) {
            throw new IllegalArgumentException("At most " + Integer.SIZE + " names, not " + names.size());
        }
        if (query == null) {
            return null;
        }
        int seen = 0;
        int twice = 0;
        Parameters parameters = new Parameters(query);
        while (parameters.advance()) {
            for (int i = 0; i < names.size(); i++) {
                if (parameters.named(names.get(i), true)) {
                    twice |= seen & 1 << i;
                    seen |= 1 << i;
                    break;
                }
            }
        }
        return twice == 0 ? null : names.get(Integer.numberOfTrailingZeros(twice));
    }

    /** A cursor over the parameters of one query, as the decoder splits them. */
    private static final class Parameters {

        private final String query;
        private final int limit;
        private int next;
        private int counted;
        private int nameStart;
        private int nameEnd;
        private int end;

        Parameters(String query) {
            this.query = query;
            this.limit = end(query);
        }

        /** Moves to the next parameter with a name; false past the last one the decoder would keep. */
        boolean advance() {
            while (next < limit && counted < MAX_PARAMETERS) {
                end = indexOf(query, next, limit, '&', ';');
                nameStart = nameStart(query, next, end);
                nameEnd = indexOf(query, nameStart, end, '=', '=');
                next = end + 1;
                if (nameStart < nameEnd) {
                    counted++;
                    return true;
                }
            }
            return false;
        }

        boolean named(String name, boolean ignoreCase) {
            return is(query, nameStart, nameEnd, name, ignoreCase);
        }

        String value() {
            return nameEnd == end ? "" : decode(query, nameEnd + 1, end);
        }
    }

    private static int end(String query) {
        int fragment = query.indexOf('#');
        return fragment < 0 ? query.length() : fragment;
    }

    private static int nameStart(String query, int start, int end) {
        while (start < end && query.charAt(start) == '=') {
            start++;
        }
        return start;
    }

    /** The index of the first {@code a} or {@code b} in {@code query} from {@code from} to {@code end}, or {@code end}. */
    private static int indexOf(String query, int from, int end, char a, char b) {
        for (int i = from; i < end; i++) {
            char c = query.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return end;
    }

    private static boolean is(String query, int start, int end, String name, boolean ignoreCase) {
        if (indexOf(query, start, end, '%', '+') == end) {
            return end - start == name.length() && query.regionMatches(ignoreCase, start, name, 0, name.length());
        }
        String decoded = decode(query, start, end);
        return ignoreCase ? decoded.equalsIgnoreCase(name) : decoded.equals(name);
    }

    private static String decode(String query, int start, int end) {
        String raw = query.substring(start, end);
        try {
            return QueryStringDecoder.decodeComponent(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException undecodable) {
            // RequestGuards refuses such a query before any resource reads it; kept raw, it matches nothing.
            return raw;
        }
    }
}
