package dev.rendezvous.correlation.rest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.RendezvousException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Client IDs in and out of an API key's scope, and the worker path IDs that name them. */
class CallerTest {

    private static final Caller KEYED = new Caller("owner-hash", "AbCdEfGhIj-_");
    private static final CallbackToken.Hash TOKEN = CallbackToken.hash("token");

    @Test
    void storesAKeysIdsInItsScopeAndShowsThemBackAsTheClientChoseThem() {
        String stored = KEYED.id("order~42");
        assertThat(stored, equalTo("AbCdEfGhIj-_~order~42"));
        assertThat(Caller.visibleId(correlation(stored, "owner-hash")), equalTo("order~42"));
    }

    @Test
    void leavesIdsAsTheyAreWithoutKeys() {
        assertThat(Caller.OPEN.id("order-42"), equalTo("order-42"));
        assertThat(Caller.visibleId(correlation("a~b", null)), equalTo("a~b"));
    }

    @Test
    void generatesAnIdInTheScopeWhenTheClientNamesNone() {
        String stored = KEYED.idOrNew(null);
        assertThat(stored.substring(0, Caller.SCOPE_LENGTH + 1), equalTo("AbCdEfGhIj-_~"));
        assertThat(stored.length(), equalTo(Caller.SCOPE_LENGTH + 1 + 22));
    }

    @Test
    void takesScopedAndPlainWorkerIdsButChecksTheClientPartOfEither() {
        String longest = "i".repeat(128);
        assertThat(Caller.workerId(KEYED.id(longest)), equalTo(KEYED.id(longest)));
        assertThat(Caller.workerId(longest), equalTo(longest));
        assertThrows(RendezvousException.class, () -> Caller.workerId("AbCdEfGhIj-_~" + longest + "i"));
        assertThrows(RendezvousException.class, () -> Caller.workerId("AbCdEfGhIj-_~a/b"));
        assertThrows(RendezvousException.class, () -> KEYED.id("a/b"));
        assertThrows(RendezvousException.class, () -> Caller.workerId("AbCd\u0000fGhIj-_~order-42"));
    }

    private static Correlation correlation(String id, String owner) {
        return Correlation.pending(id, TOKEN, Duration.ofMinutes(1), Instant.EPOCH, owner);
    }
}
