package dev.rendezvous.route.service;

import dev.rendezvous.config.RendezvousConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The configured routes as a bean, checked at startup: a broken route stops the service at once. */
@Singleton
class RoutesProducer {

    @Produces
    @Singleton
    @Startup
    Routes routes(RendezvousConfig config) {
        return new Routes(config.routes());
    }
}
