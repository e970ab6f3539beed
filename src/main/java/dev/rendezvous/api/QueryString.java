package dev.rendezvous.api;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a raw query string in place, without building a parameter map: a held long-poll would keep
 * such a map for as long as it waits, and most requests only ask for a name or two. Splits and
 * decodes as the HTTP layer's own decoder does: {@code &} and {@code ;} separate parameters, a bare
 * name has the empty value, and {@code +} and {@code %XX} (UTF-8) are decoded in names and values.
 */
final class QueryString {

    private QueryString() {}

    /** The decoded value of the first {@code name} parameter (case-sensitive), "" for a bare name, or null. */
    static String first(String query, String name) {
        if (query == null) {
            return null;
        }
        for (int start = 0; start <= query.length(); ) {
            int end = end(query, start);
            int nameEnd = nameEnd(query, start, end);
            if (is(query, start, nameEnd, name, false)) {
                return nameEnd == end ? "" : decode(query, nameEnd + 1, end);
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * The first of {@code names} (at most 32, in their order) that {@code query} gives more than once,
     * compared without regard to case as the router's parameter map does; null when each comes once at most.
     */
    static String repeated(String query, List<String> names) {
        if (query == null) {
            return null;
        }
        int seen = 0;
        int twice = 0;
        for (int start = 0; start <= query.length(); ) {
            int end = end(query, start);
            int nameEnd = nameEnd(query, start, end);
            for (int i = 0; i < names.size(); i++) {
                if (is(query, start, nameEnd, names.get(i), true)) {
                    twice |= seen & 1 << i;
                    seen |= 1 << i;
                    break;
                }
            }
            start = end + 1;
        }
        return twice == 0 ? null : names.get(Integer.numberOfTrailingZeros(twice));
    }

    private static int end(String query, int from) {
        for (int i = from; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '&' || c == ';') {
                return i;
            }
        }
        return query.length();
    }

    private static int nameEnd(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            if (query.charAt(i) == '=') {
                return i;
            }
        }
        return end;
    }

    private static boolean is(String query, int start, int end, String name, boolean ignoreCase) {
        if (start == end) {
            return false;
        }
        if (!isEncoded(query, start, end)) {
            return end - start == name.length() && query.regionMatches(ignoreCase, start, name, 0, name.length());
        }
        String decoded = decode(query, start, end);
        return ignoreCase ? decoded.equalsIgnoreCase(name) : decoded.equals(name);
    }

    private static boolean isEncoded(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c == '%' || c == '+') {
                return true;
            }
        }
        return false;
    }

    private static String decode(String query, int start, int end) {
        String raw = query.substring(start, end);
        try {
            return QueryStringDecoder.decodeComponent(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException undecodable) {
            // The HTTP layer refuses such a query before any route runs; kept raw, it matches nothing.
            return raw;
        }
    }
}
