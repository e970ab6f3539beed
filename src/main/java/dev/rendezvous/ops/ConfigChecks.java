package dev.rendezvous.ops;

import dev.rendezvous.config.RendezvousConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Warns at startup about settings that work against each other. */
@ApplicationScoped
class ConfigChecks {

    private static final Logger LOG = Logger.getLogger(ConfigChecks.class);

    private final RendezvousConfig config;
    private final Duration idleTimeout;

    ConfigChecks(RendezvousConfig config, @ConfigProperty(name = "quarkus.http.idle-timeout") Duration idleTimeout) {
        this.config = config;
        this.idleTimeout = idleTimeout;
    }

    void check(@Observes StartupEvent started) {
        // A long-poll sends nothing until it is answered: the connection must outlive the longest wait.
        if (idleTimeout.compareTo(config.maxWait()) <= 0) {
            LOG.warnf(
                    "quarkus.http.idle-timeout (%s) is not longer than rendezvous.max-wait (%s): long waits will be cut off",
                    idleTimeout, config.maxWait());
        }
    }
}
