package dev.rendezvous.api;

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
final class QueryString {

    private static final int MAX_PARAMETERS = 1024;

    private QueryString() {}

    /** The decoded value of the first {@code name} parameter (case-sensitive), "" for a bare name, or null. */
    static String first(String query, String name) {
        if (query == null) {
            return null;
        }
        int limit = end(query);
        int counted = 0;
        for (int start = 0; start < limit && counted < MAX_PARAMETERS; ) {
            int end = parameterEnd(query, start, limit);
            int nameStart = nameStart(query, start, end);
            int nameEnd = nameEnd(query, nameStart, end);
            if (nameStart < nameEnd) {
                counted++;
                if (is(query, nameStart, nameEnd, name, false)) {
                    return nameEnd == end ? "" : decode(query, nameEnd + 1, end);
                }
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
        if (names.size() > Integer.SIZE) {
            throw new IllegalArgumentException("At most " + Integer.SIZE + " names, not " + names.size());
        }
        if (query == null) {
            return null;
        }
        int limit = end(query);
        int seen = 0;
        int twice = 0;
        int counted = 0;
        for (int start = 0; start < limit && counted < MAX_PARAMETERS; ) {
            int end = parameterEnd(query, start, limit);
            int nameStart = nameStart(query, start, end);
            int nameEnd = nameEnd(query, nameStart, end);
            if (nameStart < nameEnd) {
                counted++;
                for (int i = 0; i < names.size(); i++) {
                    if (is(query, nameStart, nameEnd, names.get(i), true)) {
                        twice |= seen & 1 << i;
                        seen |= 1 << i;
                        break;
                    }
                }
            }
            start = end + 1;
        }
        return twice == 0 ? null : names.get(Integer.numberOfTrailingZeros(twice));
    }

    private static int end(String query) {
        int fragment = query.indexOf('#');
        return fragment < 0 ? query.length() : fragment;
    }

    private static int parameterEnd(String query, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = query.charAt(i);
            if (c == '&' || c == ';') {
                return i;
            }
        }
        return end;
    }

    private static int nameStart(String query, int start, int end) {
        while (start < end && query.charAt(start) == '=') {
            start++;
        }
        return start;
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
            // RequestGuards refuses such a query before any resource reads it; kept raw, it matches nothing.
            return raw;
        }
    }
}
