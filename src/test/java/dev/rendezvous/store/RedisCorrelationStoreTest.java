package dev.rendezvous.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.api.RedisStoreProfile;
import dev.rendezvous.core.CallbackToken;
import dev.rendezvous.core.Correlation;
import dev.rendezvous.core.Outcome;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis store's scripts, called directly where the HTTP API cannot stage the case. */
@QuarkusTest
@TestProfile(RedisStoreProfile.class)
class RedisCorrelationStoreTest {

    private static final CallbackToken.Hash TOKEN = CallbackToken.hash(CallbackToken.generate());

    @Inject
    RedisCorrelationStore store;

    @Test
    void consumesOnlyTheIncarnationItsReaderFound() {
        String id = "consume-" + UUID.randomUUID();
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Correlation read = createAndComplete(id, "first", first);

        assertTrue(store.consume(read, null, first).await().indefinitely());
        assertFalse(store.consume(read, null, first).await().indefinitely(), "a second reader");

        Instant again = first.plusMillis(1);
        Correlation next = createAndComplete(id, "second", again);
        assertFalse(store.consume(read, null, again).await().indefinitely(), "the first incarnation's reader");
        assertArrayEquals(
                body("second"),
                ((Outcome.Result) store.find(id, again).await().indefinitely().outcome()).body());
        assertTrue(store.consume(next, null, again).await().indefinitely());
    }

    private Correlation createAndComplete(String id, String result, Instant at) {
        store.create(Correlation.pending(id, TOKEN, Duration.ofMinutes(1), at), at)
                .await()
                .indefinitely();
        return store.settle(id, TOKEN, new Outcome.Result(body(result), null), null, at)
                .await()
                .indefinitely()
                .correlation();
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
