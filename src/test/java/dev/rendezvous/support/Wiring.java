package dev.rendezvous.support;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.service.CorrelationListener;
import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.correlation.service.CorrelationStore;
import dev.rendezvous.correlation.service.ExchangeEvents;
import dev.rendezvous.correlation.service.WaiterLimit;
import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.correlation.store.MemoryCorrelationStore;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The beans of the exchange built by hand for plain unit tests, through their one constructor, from
 * a {@link RendezvousConfig} with the shipped defaults and the keys a test sets.
 */
public final class Wiring {

    private Wiring() {}

    /** The configuration with {@code keysAndValues} (key, value, key, value...) over the defaults. */
    public static RendezvousConfig config(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new SmallRyeConfigBuilder()
                .withMapping(RendezvousConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build()
                .getConfigMapping(RendezvousConfig.class);
    }

    public static WaiterRegistry registry(int maxWaiters) {
        return registry(maxWaiters, maxWaiters);
    }

    public static WaiterRegistry registry(int maxWaiters, int maxPerCorrelation) {
        RendezvousConfig config = config(
                "rendezvous.max-waiters", String.valueOf(maxWaiters),
                "rendezvous.max-waiters-per-correlation", String.valueOf(maxPerCorrelation));
        return new WaiterRegistry(config, new WaiterLimit(config));
    }

    /** The configuration of a memory store that keeps completed results for a minute. */
    public static RendezvousConfig memoryStoreConfig(int maxCorrelations, long maxStoredBytes) {
        return config(
                "rendezvous.max-correlations", String.valueOf(maxCorrelations),
                "rendezvous.max-stored-bytes", String.valueOf(maxStoredBytes),
                "rendezvous.result-retention", "1M");
    }

    /** The service with a default time to live of 30 seconds, reporting to nobody. */
    public static CorrelationService service(CorrelationStore store, WaiterRegistry waiters, Clock clock) {
        return new CorrelationService(
                store,
                waiters,
                clock,
                config("rendezvous.default-ttl", "30S"),
                ExchangeEvents.NONE,
                CorrelationListener.NONE);
    }

    public static MemoryCorrelationStore newMemoryStore(int maxCorrelations, long maxStoredBytes) {
        return new MemoryCorrelationStore(memoryStoreConfig(maxCorrelations, maxStoredBytes));
    }
}
