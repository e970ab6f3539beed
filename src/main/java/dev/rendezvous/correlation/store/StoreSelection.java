package dev.rendezvous.correlation.store;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.service.CorrelationStore;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * The one store that {@code rendezvous.store} names, found by its {@link Identifier}: the memory
 * store here, any other in the adapter that provides it. The others are never created, nor connect
 * anywhere.
 */
@Singleton
public class StoreSelection {

    @Produces
    @Singleton
    CorrelationStore store(RendezvousConfig config, @Any Instance<CorrelationStore> stores) {
        return stores.select(named(config)).get();
    }

    /** The qualifier of the stores that {@code rendezvous.store} names. */
    public static Identifier named(RendezvousConfig config) {
        return Identifier.Literal.of(config.store().name().toLowerCase(Locale.ROOT));
    }
}
