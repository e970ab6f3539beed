package dev.rendezvous.redis;

import dev.rendezvous.correlation.model.Correlation;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/** The reads with which {@link WaiterRecheck} finds what changed on other replicas. */
interface SharedReads {

    /**
     * The correlation as waiters registered before its outcome see it: like a plain read, but a
     * result consumed a moment ago by another reader still reads as completed.
     */
    Uni<Correlation> findSettled(String id, Instant now);

    /**
     * Of {@code ids}, those no longer pending in the incarnation created at the same position of
     * {@code incarnations}: settled, gone, or created again; cheaply (no bodies, nothing about those
     * still pending).
     */
    Uni<List<String>> changed(List<String> ids, List<Instant> incarnations, Instant now);
}
