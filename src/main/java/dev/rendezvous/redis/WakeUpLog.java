package dev.rendezvous.redis;

/**
 * The IDs of the last wake-ups this replica heard on the subscription, so that a long-poll can skip
 * its second read. A waiter reads its correlation, registers, then must read again in case an
 * outcome was stored in between; but every change of a correlation is published, and a wake-up that
 * arrives after the registration finds the waiter anyway. So if the subscription stayed up and no
 * wake-up for the ID arrived between a mark taken before the first read and the registration, the
 * second read cannot find anything new. Expiry is not published: a correlation that expires in that
 * gap is found by the periodic recheck, as one that expires a moment later would be.
 */
final class WakeUpLog {

    private static final int SIZE = 1024;

    private final String[] ids = new String[SIZE];
    /** Their hash codes, so that a scan compares the characters of hardly any other ID. */
    private final int[] hashes = new int[SIZE];
    /** Sequence number of the next wake-up. */
    private long next;

    private boolean live;

    /** A mark to compare later wake-ups against; negative while no subscription is in place. */
    synchronized long mark() {
        return live ? next : -1;
    }

    /** Called for every wake-up before its waiters are looked up. */
    synchronized void heard(String id) {
        int slot = (int) (next % SIZE);
        ids[slot] = id;
        hashes[slot] = id.hashCode();
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
        int hash = id.hashCode();
        for (long sequence = mark; sequence < next; sequence++) {
            int slot = (int) (sequence % SIZE);
            if (hashes[slot] == hash && id.equals(ids[slot])) {
                return true;
            }
        }
        return false;
    }
}
