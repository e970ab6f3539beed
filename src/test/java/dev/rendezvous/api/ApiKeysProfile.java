package dev.rendezvous.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A deployment as the README advises for untrusted networks: two client API keys (as during a
 * rotation) and a public URL that no request header can change.
 */
public class ApiKeysProfile implements QuarkusTestProfile {

    static final String KEY_ONE = "key-one-0123456789abcdef";
    static final String KEY_TWO = "key-two-fedcba9876543210";
    static final String PUBLIC_URL = "https://rendezvous.example.test/base";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rendezvous.api-keys", KEY_ONE + "," + KEY_TWO, "rendezvous.public-url", PUBLIC_URL);
    }
}
