package dev.rendezvous.route.store;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.store.StoreSelection;
import dev.rendezvous.route.service.JobStore;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The job store beside the correlation store that {@code rendezvous.store} names. */
@Singleton
class JobStoreSelection {

    @Produces
    @Singleton
    JobStore jobs(RendezvousConfig config, @Any Instance<JobStore> stores) {
        return stores.select(StoreSelection.named(config)).get();
    }
}
