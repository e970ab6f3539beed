package dev.rendezvous.correlation.store;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.service.CorrelationStore;
import dev.rendezvous.redis.RedisCorrelationStore;
import dev.rendezvous.redis.RedisJobStore;
import dev.rendezvous.route.service.JobStore;
import dev.rendezvous.route.store.MemoryJobStore;
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
