package dev.rendezvous.store;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.core.CorrelationStore;
import dev.rendezvous.core.JobStore;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one store that {@code rendezvous.store} names; the other is never created, nor connects anywhere. */
@Singleton
class StoreSelection {

    @Produces
    @Singleton
    CorrelationStore store(
            RendezvousConfig config, Instance<MemoryCorrelationStore> memory, Instance<RedisCorrelationStore> redis) {
        return switch (config.store()) {
            case MEMORY -> memory.get();
            case REDIS -> redis.get();
        };
    }

    @Produces
    @Singleton
    JobStore jobs(RendezvousConfig config, Instance<MemoryJobStore> memory, Instance<RedisJobStore> redis) {
        return switch (config.store()) {
            case MEMORY -> memory.get();
            case REDIS -> redis.get();
        };
    }
}
