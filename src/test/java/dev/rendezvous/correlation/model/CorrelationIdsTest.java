package dev.rendezvous.correlation.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorrelationIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "order-42", "A.b_c~d:e-f", "...", "0123456789", "x.."})
    void acceptsIdsOfTheUnreservedCharactersAndColon(String id) {
        assertTrue(CorrelationIds.isValid(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a b", "a?b", "a#b", "a%2F", "é", "a\u0000", "order+1", "a\\b"})
    void refusesEmptyIdsPathStepsAndOtherCharacters(String id) {
        assertFalse(CorrelationIds.isValid(id));
    }

    @Test
    void acceptsAtMost128Characters() {
        assertTrue(CorrelationIds.isValid("a".repeat(128)));
        assertFalse(CorrelationIds.isValid("a".repeat(129)));
        assertFalse(CorrelationIds.isValid(null));
    }

    @Test
    void agreesWithTheDocumentedSyntaxForEveryCharacter() {
        Pattern documented = Pattern.compile("[A-Za-z0-9._~:-]");
        for (char c = 0; c < 0x3000; c++) {
            String id = "id" + c;
            assertEquals(documented.matcher(String.valueOf(c)).matches(), CorrelationIds.isValid(id), id);
        }
    }

    @Test
    void generatesValidUniqueIds() {
        String first = CorrelationIds.generate();
        assertTrue(CorrelationIds.isValid(first));
        assertFalse(first.equals(CorrelationIds.generate()));
    }
}
