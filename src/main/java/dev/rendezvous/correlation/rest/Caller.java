package dev.rendezvous.correlation.rest;

import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.CorrelationIds;

/**
 * Who a client request acts for: the owner its API key names (null when keys are off), and the
 * scope that owner's IDs live in. With keys on, a correlation is stored as {@code <scope>~<id>}, so
 * that two keys may each hold {@code order-42} and neither learns of the other's; the client keeps
 * seeing {@code order-42}, and workers get URLs with the scoped ID, which need no key. A scope is 12
 * characters derived from the key by a deliberately slow function ({@link ApiKeys}), since worker
 * URLs show it to third parties; none of them is a character an ID could split on.
 */
public record Caller(String owner, String scope) {

    static final Caller OPEN = new Caller(null, null);
    static final int SCOPE_LENGTH = 12;
    private static final char SEPARATOR = '~';

    /** The stored ID of a client-chosen ID, checked. */
    String id(String clientId) {
        String valid = Inputs.id(clientId);
        return scope == null ? valid : scope + SEPARATOR + valid;
    }

    /** The stored ID of a client's ID, or of a fresh unguessable one when the client named none. */
    public String idOrNew(String clientId) {
        return id(clientId != null ? clientId : CorrelationIds.generate());
    }

    /** The ID the client that created a correlation knows it by. */
    public static String visibleId(Correlation correlation) {
        String id = correlation.id();
        return correlation.owner() == null ? id : id.substring(id.indexOf(SEPARATOR) + 1);
    }

    /** A worker's path ID: a correlation's stored ID, scoped or not, checked. */
    static String workerId(String id) {
        if (id != null
                && id.indexOf(SEPARATOR) == SCOPE_LENGTH
                && CorrelationIds.isValid(id.substring(0, SCOPE_LENGTH))
                && CorrelationIds.isValid(id.substring(SCOPE_LENGTH + 1))) {
            return id;
        }
        return Inputs.id(id);
    }
}
