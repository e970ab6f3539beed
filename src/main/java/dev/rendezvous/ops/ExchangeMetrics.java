package dev.rendezvous.ops;

import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.ExchangeEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters and histograms of the exchange, all named {@code rendezvous_*} and labelled only with
 * small fixed sets of values: never an ID, a key or a token.
 */
@Singleton
class ExchangeMetrics implements ExchangeEvents {

    private final Map<State, Counter> outcomes = new EnumMap<>(State.class);
    private final Map<State, Timer> completionTimes = new EnumMap<>(State.class);
    private final Counter expired;
    private final Counter consumed;
    private final Timer waits;
    private final MeterRegistry registry;

    ExchangeMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (State outcome : new State[] {State.COMPLETED, State.FAILED, State.CANCELLED}) {
            outcomes.put(outcome, outcome(outcome.wireName()));
            completionTimes.put(
                    outcome,
                    Timer.builder("rendezvous.settle.time")
                            .description("Time from creating a correlation to its outcome")
                            .tag("outcome", outcome.wireName())
                            .publishPercentileHistogram()
                            .register(registry));
        }
        this.expired = outcome("expired");
        this.consumed = outcome("consumed");
        this.waits = Timer.builder("rendezvous.wait.time")
                .description("How long long-polling clients waited")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void settled(State outcome, Duration after) {
        outcomes.get(outcome).increment();
        completionTimes.get(outcome).record(after);
    }

    @Override
    public void expired(int count) {
        expired.increment(count);
    }

    @Override
    public void consumed() {
        consumed.increment();
    }

    @Override
    public void waited(Duration waited) {
        waits.record(waited);
    }

    @Override
    public void rejected(int status) {
        Counter.builder("rendezvous.rejected")
                .description("Requests turned down, by reason")
                .tag("reason", reason(status))
                .register(registry)
                .increment();
    }

    private Counter outcome(String outcome) {
        return Counter.builder("rendezvous.outcomes")
                .description("Correlations by how they ended")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** A handful of reasons, so that the label stays small whatever a client sends. */
    private static String reason(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 409, 410 -> "conflict";
            case 411, 413, 431 -> "too_large";
            case 429, 503 -> "at_capacity";
            default -> status >= 500 ? "error" : "invalid";
        };
    }
}
