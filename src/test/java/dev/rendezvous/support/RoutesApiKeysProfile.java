package dev.rendezvous.support;

import java.util.HashMap;
import java.util.Map;

/** {@link ApiKeysProfile}'s keys, quota and public URL, with one pull route. */
public class RoutesApiKeysProfile extends ApiKeysProfile {

    public static final String WORKER_KEY = "worker-key-of-the-keyed-route";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("rendezvous.routes.keyed.mode", "pull");
        config.put("rendezvous.routes.keyed.worker-keys", WORKER_KEY);
        return config;
    }
}
