package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Client API keys on, as on any untrusted network: one key, for the console's user. */
public class ConsoleApiKeyProfile implements QuarkusTestProfile {

    public static final String API_KEY = "console-key-0123456789abcdef";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rendezvous.api-keys", API_KEY);
    }
}
