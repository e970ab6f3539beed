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
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The exchange: the store keeps the state of record, the registry wakes whoever waits on this instance. */
@ApplicationScoped
public class CorrelationService {

    private static final int RECHECK_CONCURRENCY = 16;
    private static final int RECHECK_BATCH = 256;

    private final CorrelationStore store;
    private final WaiterRegistry waiters;
    private final Clock clock;
    private final Duration defaultTtl;
    private final ExchangeEvents events;
    private final CorrelationListener listener;

    @Inject
    CorrelationService(
            CorrelationStore store,
            WaiterRegistry waiters,
            Clock clock,
            RendezvousConfig config,
            ExchangeEvents events,
            CorrelationListener listener) {
        this(store, waiters, clock, config.defaultTtl(), events, listener);
    }

    public CorrelationService(CorrelationStore store, WaiterRegistry waiters, Clock clock, Duration defaultTtl) {
        this(store, waiters, clock, defaultTtl, ExchangeEvents.NONE);
    }

    public CorrelationService(
            CorrelationStore store, WaiterRegistry waiters, Clock clock, Duration defaultTtl, ExchangeEvents events) {
        this(store, waiters, clock, defaultTtl, events, CorrelationListener.NONE);
    }

    public CorrelationService(
            CorrelationStore store,
            WaiterRegistry waiters,
            Clock clock,
            Duration defaultTtl,
            ExchangeEvents events,
            CorrelationListener listener) {
        this.listener = listener;
        this.store = store;
        this.waiters = waiters;
        this.clock = clock;
        this.defaultTtl = defaultTtl;
        this.events = events;
    }

    /**
     * Creates a pending correlation of {@code owner} (null when API keys are off); the token is
     * returned once and only its hash is kept.
     */
    public Uni<Created> create(String id, Duration ttl, String owner) {
        return create(id, ttl, owner, false);
    }

    /** As above; with {@code signing}, callbacks must be signed with the secret the answer carries. */
    public Uni<Created> create(String id, Duration ttl, String owner, boolean signing) {
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
            throw full.because("Try again shortly.");
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

    /**
     * Reads the state of every correlation waited on here and answers the waiters of those that
     * settled or vanished. With a shared store this bounds the delay of a lost wake-up; it is also
     * how waiters of correlations that expired in Redis learn of it.
     */
    public Uni<Integer> recheckWaiters() {
        if (!store.isShared()) {
            return Uni.createFrom().item(0);
        }
        // A batch at a time: the registry sorts the IDs, the store answers which of those on which
        // only long-polls wait are no longer pending in the incarnation waited on, and those, with the
        // IDs of live streams, are read in full. The first failure ends the round, since an
        // unreachable store fails every read alike.
        return Multi.createFrom()
                .iterable(batches(waiters.waitedIds()))
                .onItem()
                .transformToUniAndConcatenate(this::needingRecheck)
                .onItem()
                .<String>disjoint()
                .onItem()
                .transformToUni(this::recheck)
                .merge(RECHECK_CONCURRENCY)
                .filter(Boolean::booleanValue)
                .collect()
                .with(Collectors.counting())
                .map(Long::intValue);
    }

    private Uni<List<String>> needingRecheck(List<String> ids) {
        WaiterRegistry.Waited waited = waiters.sort(ids);
        return store.changed(waited.quiet(), waited.incarnations(), now()).map(changed -> {
            List<String> needing = new ArrayList<>(waited.others());
            needing.addAll(changed);
            return needing;
        });
    }

    private static List<List<String>> batches(List<String> ids) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += RECHECK_BATCH) {
            batches.add(ids.subList(from, Math.min(ids.size(), from + RECHECK_BATCH)));
        }
        return batches;
    }

    /** Answers the local waiters on {@code id} if it settled or vanished; true if it did. */
    public Uni<Boolean> recheck(String id) {
        if (!waiters.isWaitedOn(id)) {
            // Spares every replica a read of the whole result for correlations nobody waits on here.
            return Uni.createFrom().item(false);
        }
        return store.findSettled(id, now()).map(current -> answer(id, current));
    }

    /**
     * As {@link #recheck(String)}, with the state that the store announced along with the wake-up
     * instead of a read (null: no longer live, so a read decides); {@code announced} is decoded only if
     * someone waits on it here.
     * A wake-up can be overtaken: its ID consumed or expired and created again, and a request here
     * waiting on the new incarnation, before this replica hears of the old one's outcome. So the
     * announcement answers only its own incarnation's waiters, and a read decides for any others.
     */
    public Uni<Boolean> recheck(String id, Supplier<Correlation> announced) {
        return Uni.createFrom().deferred(() -> {
            if (!waiters.isWaitedOn(id)) {
                return Uni.createFrom().item(false);
            }
            Correlation current = announced.get();
            if (current != null && current.state().isTerminal() && !waiters.wakeOwn(current)) {
                return Uni.createFrom().item(true);
            }
            return recheck(id);
        });
    }

    private boolean answer(String id, Correlation current) {
        if (current == null) {
            waiters.expire(id);
            return true;
        }
        // The ID may have expired and been created again on another replica.
        boolean superseded = waiters.supersede(current) > 0;
        if (current.state().isTerminal()) {
            waiters.wake(current);
            return true;
        }
        waiters.progress(current);
        return superseded;
    }

    public CorrelationStore.Usage usage() {
        return store.usage();
    }

    /** Whether this instance is shutting down and lets its waiters go. */
    public boolean isDraining() {
        return waiters.isDraining();
    }

    public int waiting() {
        return waiters.waiting();
    }

    public int maxWaiters() {
        return waiters.maxWaiters();
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

    /** A new correlation with its callback token, which exists only in this answer. */
    public record Created(Correlation correlation, String token, String signingSecret) {}
}
