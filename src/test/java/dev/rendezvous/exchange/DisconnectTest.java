package dev.rendezvous.exchange;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Http;
import dev.rendezvous.support.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Quarkus REST cancels a waiting Uni when its client hangs up; the registry must forget the waiter. */
@QuarkusTest
class DisconnectTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    WaiterRegistry registry;

    @Test
    void forgetsWaitersWhoseClientsHangUp() throws IOException {
        Http.Created correlation = new Http(base).create(UUID.randomUUID().toString());
        List<RawHttp> clients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            clients.add(longPoll(correlation.id()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.waiting() == 100);

        for (RawHttp client : clients) {
            client.close();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> registry.waiting() == 0);
        assertEquals(
                200,
                new Http(base)
                        .get("/v1/correlations/" + correlation.id())
                        .join()
                        .statusCode());
    }

    private RawHttp longPoll(String id) throws IOException {
        return RawHttp.connect()
                .send("GET /v1/correlations/" + id + "/result?wait=120 HTTP/1.1\r\nHost: " + base.getHost()
                        + "\r\n\r\n");
    }
}
