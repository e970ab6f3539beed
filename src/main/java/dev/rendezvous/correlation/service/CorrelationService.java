package dev.rendezvous.correlation.service;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Change;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.CorrelationIds;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.WebhookSignatures.SignedMessage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/** The exchange: the store keeps the state of record, the registry wakes whoever waits on this instance. */
@ApplicationScoped
public class CorrelationService {

    private final CorrelationStore store;
    private final WaiterRegistry waiters;
    private final Clock clock;
    private final Duration defaultTtl;
    private final ExchangeEvents events;
    private final CorrelationListener listener;

    public CorrelationService(
            CorrelationStore store,
            WaiterRegistry waiters,
            Clock clock,
            RendezvousConfig config,
            ExchangeEvents events,
            CorrelationListener listener) {
        this.store = store;
        this.waiters = waiters;
        this.clock = clock;
        this.defaultTtl = config.defaultTtl();
        this.events = events;
        this.listener = listener;
    }

    /**
     * Creates a pending correlation of {@code owner} (null when API keys are off); the token is
     * returned once and only its hash is kept. {@link Callbacks#SIGNED} callbacks must be signed with
     * the secret the answer carries.
     */
    public Uni<Created> create(String id, Duration ttl, String owner, Callbacks callbacks) {
        boolean signing = callbacks == Callbacks.SIGNED;
        String token = CallbackToken.generate();
        String chosen = id != null ? id : CorrelationIds.generate();
        Duration lifetime = ttl != null ? ttl : defaultTtl;
        byte[] signingKey = signing ? WebhookSignatures.newKey() : null;
        Correlation pending =
                Correlation.pending(chosen, CallbackToken.hash(token), lifetime, now(), owner, signingKey);
        return store.create(pending, now()).map(created -> {
            waiters.supersede(created);
            return new Created(created, token, signing ? WebhookSignatures.secret(signingKey) : null);
        });
    }

    /** The correlation as {@code caller} may see it: another owner's correlation is not found. */
    public Uni<Correlation> status(String id, String caller) {
        return find(id, caller).map(CorrelationService::found);
    }

    /**
     * The correlation once it leaves the pending state or {@code wait} ends, whichever comes first.
     * With {@code consume}, a completed correlation is removed, and only the one reader that removed
     * it gets it. Another owner's correlation is not found, and nothing happens to it.
     */
    public Uni<Correlation> result(String id, Duration wait, boolean consume, String caller) {
        long mark = store.changeMark();
        return find(id, caller)
                .chain(current -> isPending(current) && wait.toMillis() > 0
                        ? awaitOutcome(current, wait, mark)
                        : Uni.createFrom().item(current))
                .chain(current -> consume && current != null && current.state() == State.COMPLETED
                        ? consumeOnce(current, caller)
                        : Uni.createFrom().item(current))
                .map(CorrelationService::found);
    }

    /** {@code completed} if this reader removed it; null if another reader was first. */
    private Uni<Correlation> consumeOnce(Correlation completed, String caller) {
        return store.consume(completed, caller, now()).map(took -> {
            if (!took) {
                return null;
            }
            events.consumed();
            return completed;
        });
    }

    /** {@code mark}: the store's change mark taken before {@code pending} was read. */
    private Uni<Correlation> awaitOutcome(Correlation pending, Duration wait, long mark) {
        long started = System.nanoTime();
        Supplier<Uni<Correlation>> read = () -> store.find(pending.id(), now());
        // Once registered, a second read can only find what changed since the first.
        Supplier<Uni<Correlation>> reread = () -> store.mayHaveChangedSince(mark, pending.id())
                ? read.get()
                : Uni.createFrom().item(pending);
        return waiters.await(pending, wait, reread, read)
                .onTermination()
                .invoke(() -> events.waited(Duration.ofNanos(System.nanoTime() - started)));
    }

    /**
     * The live changes of {@code current} (as {@link #status} found it): its state now, then every
     * heartbeat, until it settles or expires; a keep-alive comes every {@code keepAlive} meanwhile.
     */
    public Multi<Change> changes(Correlation current, Duration keepAlive) {
        return waiters.watch(current, keepAlive, () -> store.find(current.id(), now()));
    }

    /** The correlation as it is now, whoever owns it; null when it is gone. For the service's own steps. */
    public Uni<Correlation> current(String id) {
        return store.find(id, now());
    }

    /** Fails when this instance could not take one more waiter on {@code id} now. */
    public void ensureRoomToWait(String id) {
        Rejection full = waiters.roomFor(id);
        if (full != null) {
            throw full.exception();
        }
    }

    /** Stores a worker's outcome and wakes the waiters; an identical repeat changes nothing. */
    public Uni<Correlation> settle(String id, String token, Outcome outcome) {
        return settle(id, token, outcome, null);
    }

    /** As above, for a callback that may carry a Standard Webhooks signature ({@code signed}, or null). */
    public Uni<Correlation> settle(String id, String token, Outcome outcome, SignedMessage signed) {
        return verified(id, signed)
                .chain(messageId -> store.settle(id, CallbackToken.hash(token), outcome, messageId, now()))
                .map(this::wakeIfChanged);
    }

    public Uni<Correlation> heartbeat(
            String id, String token, Duration extension, String detailsJson, SignedMessage signed) {
        return verified(id, signed)
                .chain(messageId -> store.heartbeat(
                        id, CallbackToken.hash(token), extension, detailsJson, messageId != null, now()))
                .invoke(beaten -> {
                    waiters.progress(beaten);
                    listener.beaten(beaten);
                });
    }

    /**
     * Checks a signed callback against its correlation's key; emits its webhook-id once verified,
     * null for an unsigned callback (which the store refuses where a signature is required).
     */
    private Uni<String> verified(String id, SignedMessage signed) {
        if (signed == null) {
            return Uni.createFrom().nullItem();
        }
        return store.find(id, now()).map(current -> {
            if (current != null && current.requiresSignature()) {
                WebhookSignatures.verify(signed, current.signingKey(), now());
            }
            return signed.id();
        });
    }

    public Uni<Correlation> cancel(String id, String caller) {
        return store.cancel(id, caller, now()).map(this::wakeIfChanged);
    }

    /** Prunes what expired at {@code now} and answers its waiters at once; returns how many. */
    public Uni<Integer> pruneExpired(Instant now) {
        return store.pruneExpired(now).map(pruned -> {
            pruned.forEach(waiters::expire);
            if (!pruned.isEmpty()) {
                events.expired(pruned.size());
                listener.expired(pruned);
            }
            return pruned.size();
        });
    }

    public CorrelationStore.Usage usage() {
        return store.usage();
    }

    /** Whether this instance is shutting down and lets its waiters go. */
    public boolean isDraining() {
        return waiters.isDraining();
    }

    /** Millisecond precision keeps timestamps identical in every store and on the wire. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Correlation wakeIfChanged(CorrelationStore.Settlement settlement) {
        Correlation settled = settlement.correlation();
        if (settlement.changed()) {
            waiters.wake(settled);
            listener.settled(settled);
            events.settled(settled.state(), Duration.between(settled.createdAt(), settled.completedAt()));
        }
        return settled;
    }

    private Uni<Correlation> find(String id, String caller) {
        return store.find(id, now()).map(current -> current != null && current.isVisibleTo(caller) ? current : null);
    }

    private static boolean isPending(Correlation correlation) {
        return correlation != null && correlation.state() == State.PENDING;
    }

    private static Correlation found(Correlation correlation) {
        if (correlation == null) {
            throw notFound();
        }
        return correlation;
    }

    private static RendezvousException notFound() {
        return Rejection.NOT_FOUND.because("No such correlation; it may have expired or been consumed.");
    }

    /** How a correlation's callbacks prove where they come from: by token alone, or signed as well. */
    public enum Callbacks {
        TOKEN,
        SIGNED
    }

    /** A new correlation with its callback token, which exists only in this answer. */
    public record Created(Correlation correlation, String token, String signingSecret) {}
}
