package dev.rendezvous.route.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks that stop a service with a broken route at startup, and the lookups of requests. */
class RoutesTest {

    @Test
    void refusesAPushRouteWithoutUrlOrSecret() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> new Routes(Map.of("convert", TestRoute.push(null, null))));

        assertThat(refused.getMessage(), containsString("convert: a push route needs url"));
        assertThat(refused.getMessage(), containsString("convert: a push route needs secret"));
    }

    @Test
    void refusesAUrlThatIsNotHttp() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> new Routes(Map.of("files", TestRoute.push("file:///etc/passwd", TestRoute.SECRET))));

        assertThat(refused.getMessage(), containsString("absolute http or https URL"));
    }

    @Test
    void refusesAPullRouteWithoutWorkerKeys() {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> new Routes(Map.of("jobs", TestRoute.pull(" "))));

        assertThat(refused.getMessage(), containsString("jobs: a pull route needs worker-keys"));
    }

    @Test
    void refusesARouteNameOutsideItsSyntax() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> new Routes(Map.of("Jobs.example", TestRoute.pull("key"))));

        assertThat(refused.getMessage(), containsString("route name 'Jobs.example'"));
    }

    @Test
    void findsOnlyConfiguredRoutesByTheirExactName() {
        Routes routes = new Routes(Map.of("jobs", TestRoute.pull("key")));

        assertEquals(TestRoute.pull("key"), routes.named("jobs"));
        for (String name : new String[] {"JOBS", "jobs/", "http://jobs", "other", "", null}) {
            RendezvousException refused = assertThrows(RendezvousException.class, () -> routes.named(name));
            assertEquals(Rejection.ROUTE_NOT_FOUND, refused.rejection());
        }
    }

    @Test
    void acceptsAnyWorkerKeyOfThePullRouteAndNothingElse() {
        Routes routes = new Routes(
                Map.of("jobs", TestRoute.pull("one", "two"), "push", TestRoute.push("http://w/", TestRoute.SECRET)));

        routes.authenticateWorker("jobs", "one");
        routes.authenticateWorker("jobs", "two");
        for (String key : new String[] {"three", "", null}) {
            RendezvousException refused =
                    assertThrows(RendezvousException.class, () -> routes.authenticateWorker("jobs", key));
            assertEquals(Rejection.WORKER_KEY_REQUIRED, refused.rejection());
        }
        RendezvousException push =
                assertThrows(RendezvousException.class, () -> routes.authenticateWorker("push", "one"));
        assertEquals(Rejection.ROUTE_NOT_FOUND, push.rejection());
    }
}
