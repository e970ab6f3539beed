package dev.rendezvous.store;

import dev.rendezvous.core.Correlation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The IDs of the last wake-ups this replica heard on the subscription, so that a long-poll can skip
 * its reads. A waiter reads its correlation, registers, then must read again in case an outcome was
 * stored in between; but every change of a correlation is published, and a wake-up that arrives
 * after the registration finds the waiter anyway. So if the subscription stayed up and no wake-up
 * for the ID arrived between a mark taken before the first read and the registration, the second
 * read cannot find anything new. By the same token, a correlation created here that no wake-up has
 * named since a mark taken before it was sent is still what was created, so the first read can go
 * too. Expiry is not published: a correlation that expires in that gap is found by the periodic
 * recheck, as one that expires a moment later would be.
 */
final class WakeUpLog {

    private static final int SIZE = 1024;

    private final String[] ids = new String[SIZE];
    /** Correlations created here, by ID, oldest first; older ones could not be vouched for anyway. */
    private final Map<String, Created> created = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Created> eldest) {
            return size() > SIZE;
        }
    };
    /** Sequence number of the next wake-up. */
    private long next;

    private boolean live;

    /** A mark to compare later wake-ups against; negative while no subscription is in place. */
    synchronized long mark() {
        return live ? next : -1;
    }

    /** Called for every wake-up before its waiters are looked up. */
    synchronized void heard(String id) {
        ids[(int) (next % SIZE)] = id;
        next++;
    }

    /** The subscription is in place (again); wake-ups published while it was not are lost. */
    synchronized void subscribed() {
        live = true;
        // Marks taken before the gap must not vouch for anything.
        next += SIZE + 1;
    }

    synchronized void lost() {
        live = false;
    }

    /**
     * Whether {@code id} may have been woken since {@code mark}: true unless the subscription has
     * been in place all along and none of the wake-ups since names it.
     */
    synchronized boolean mayHaveHeard(long mark, String id) {
        if (mark < 0 || !live || next - mark > SIZE) {
            return true;
        }
        for (long sequence = mark; sequence < next; sequence++) {
            if (id.equals(ids[(int) (sequence % SIZE)])) {
                return true;
            }
        }
        return false;
    }

    /** Remembers a correlation this replica created, {@code mark} having been taken before it was sent. */
    synchronized void created(Correlation correlation, long mark) {
        if (mark >= 0) {
            created.put(correlation.id(), new Created(correlation, mark));
        }
    }

    /**
     * The correlation with this ID created here, if no wake-up has named it since and it has not
     * expired at {@code now} (it may have been created again elsewhere then); otherwise null, and a
     * read must tell. A change stored in Redis but not yet heard here is missed, as it would be by a
     * read a moment earlier: its wake-up still finds the waiter.
     */
    synchronized Correlation unchangedSinceCreated(String id, Instant now) {
        Created known = created.get(id);
        if (known == null) {
            return null;
        }
        if (mayHaveHeard(known.mark, id) || known.correlation.isExpiredAt(now)) {
            created.remove(id);
            return null;
        }
        return known.correlation;
    }

    private record Created(Correlation correlation, long mark) {}
}
