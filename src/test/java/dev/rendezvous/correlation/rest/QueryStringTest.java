package dev.rendezvous.correlation.rest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryStringTest {

    private static final List<String> SINGLE = List.of("wait", "consume", "token");
    private static final String[] NAMES = {
        "wait", "consume", "token", "WAIT", "w%61it", "wai+t", "x", "", "%77ait", "=token", "==wait", "=", "a#b"
    };
    private static final String[] VALUES = {"", "30", "true", "a+b", "%33%30", "=", "x=y", "%C3%A9", "1#wait=2"};

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "wait=30&consume=true | wait    | 30",
                "wait=30&consume=true | consume | true",
                "consume=true         | wait    | NULL",
                "wait=                | wait    | ''",
                "wait                 | wait    | ''",
                "a=1;wait=2           | wait    | 2",
                "w%61it=%33%30        | wait    | 30",
                "WAIT=5               | wait    | NULL",
                "wait=1&wait=2        | wait    | 1",
                "waiting=1            | wait    | NULL",
                "=5&wait=a+b          | wait    | a b",
                "=wait=5              | wait    | 5",
                "x=1#wait=5           | wait    | NULL",
                "wait=%zz             | wait    | %zz"
            })
    void readsTheFirstValueOfANameAsTheDecoderDoes(String query, String name, String expected) {
        assertThat(QueryString.first(query, name), equalTo(expected));
    }

    @Test
    void findsNothingInAnAbsentQuery() {
        assertThat(QueryString.first(null, "wait"), nullValue());
        assertThat(QueryString.repeated(null, SINGLE), nullValue());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "wait=1&wait=2          | wait",
                "wait=1;WAIT=2          | wait",
                "token=a&w%61it=1&wait  | wait",
                "wait=1&consume=true    | NULL",
                "consume&x=1&consume=no | consume",
                "waiting=1&wait=1       | NULL",
                "==token=a&token=b      | token",
                "wait=1#&wait=2         | NULL"
            })
    void tellsTheFirstNameGivenTwice(String query, String expected) {
        assertThat(QueryString.repeated(query, SINGLE), equalTo(expected));
    }

    @Test
    void agreesWithTheHttpDecoderOnGeneratedQueries() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 20_000; n++) {
            String query = generated(random);
            Map<String, List<String>> decoded = new QueryStringDecoder("/p?" + query).parameters();
            for (String name : SINGLE) {
                List<String> values = decoded.get(name);
                assertThat(query, QueryString.first(query, name), equalTo(values == null ? null : values.get(0)));
            }
            assertThat(query, QueryString.repeated(query, SINGLE), equalTo(repeatedIgnoringCase(decoded)));
        }
    }

    @Test
    void countsAtMostTheParametersTheDecoderKeeps() {
        String query = "x&".repeat(1024) + "wait=5&wait=6";

        assertThat(new QueryStringDecoder("/p?" + query).parameters().get("wait"), nullValue());
        assertThat(QueryString.first(query, "wait"), nullValue());
        assertThat(QueryString.repeated(query, SINGLE), nullValue());
    }

    @Test
    void refusesMoreNamesThanItCanTell() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            names.add("n" + i);
        }

        assertThrows(IllegalArgumentException.class, () -> QueryString.repeated("n0=1", names));
    }

    private static String generated(SplittableRandom random) {
        StringBuilder query = new StringBuilder();
        int parameters = random.nextInt(5);
        for (int i = 0; i < parameters; i++) {
            if (i > 0) {
                query.append(random.nextInt(4) == 0 ? ';' : '&');
            }
            query.append(NAMES[random.nextInt(NAMES.length)]);
            if (random.nextInt(5) > 0) {
                query.append('=').append(VALUES[random.nextInt(VALUES.length)]);
            }
        }
        return query.toString();
    }

    /** What the guard refused before: the first single name that the case-insensitive map holds twice. */
    private static String repeatedIgnoringCase(Map<String, List<String>> decoded) {
        List<String> found = new ArrayList<>();
        for (String name : SINGLE) {
            int count = 0;
            for (Map.Entry<String, List<String>> entry : decoded.entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                    count += entry.getValue().size();
                }
            }
            if (count > 1) {
                found.add(name);
            }
        }
        return found.isEmpty() ? null : found.get(0);
    }
}
