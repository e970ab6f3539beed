package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private static final long SEED = 20261207L;
    private final RedisKeys keys = new RedisKeys("rendezvous:");

    @Test
    void slotIsRedisCrc16OfTheKey() {
        // Values that CLUSTER KEYSLOT answers.
        assertEquals(12182, SlotTags.slot("foo"));
        assertEquals(5061, SlotTags.slot("bar"));
        assertEquals(0, SlotTags.slot(""));
    }

    @Test
    void tagsLieOnePerEvenlySpacedRangeOfSlots() {
        String[] tags = SlotTags.evenlySpread(RedisKeys.BUCKETS);
        int spacing = SlotTags.SLOTS / RedisKeys.BUCKETS;
        for (int i = 0; i < tags.length; i++) {
            int slot = SlotTags.slot(tags[i]);
            assertTrue(slot >= i * spacing && slot < (i + 1) * spacing, tags[i] + " lies in slot " + slot);
        }
    }

    @Test
    void aCorrelationItsChannelAndItsJobsRouteShareOneSlot() {
        String id = "order-4711";
        String tag = tagOf(keys.correlation(id));
        assertEquals(tag, tagOf(keys.settledChannel(id)));
        assertEquals(tag, tagOf(keys.jobRoute(id)));
        assertEquals(new String(keys.correlationBytes(id)), keys.correlation(id));
    }

    @Test
    void aRoutesKeysAndChannelShareTheRoutesSlot() {
        List<String> routeKeys = List.of(
                keys.queue("thumbs"),
                keys.leases("thumbs"),
                keys.sequence("thumbs"),
                keys.job("thumbs", "x"),
                keys.jobsChannel("thumbs"));
        routeKeys.forEach(key -> assertEquals("thumbs", tagOf(key), key));
    }

    /** With the slots split in three as {@code redis-cli --cluster create} does, each third gets a third of the IDs. */
    @Test
    void randomIdsSpreadEvenlyOverThreeEqualSlotRanges() {
        Random random = new Random(SEED);
        System.out.println("RedisKeysTest seed " + SEED);
        assertEvenOverThree(i -> Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
    }

    @Test
    void idsNumberedByACounterSpreadEvenlyToo() {
        assertEvenOverThree(i -> "order-" + i);
    }

    private void assertEvenOverThree(IntFunction<String> ids) {
        int[] perPrimary = new int[3];
        int count = 30_000;
        for (int i = 0; i < count; i++) {
            int slot = SlotTags.slot(tagOf(keys.correlation(ids.apply(i))));
            perPrimary[Math.min(2, slot / 5461)]++;
        }
        for (int share : perPrimary) {
            assertTrue(Math.abs(100.0 * share / count - 100.0 / 3) <= 2, Arrays.toString(perPrimary));
        }
    }

    @Test
    void everyBucketHasAChannelOfItsOwn() {
        Set<String> channels = new HashSet<>(keys.settledChannels());
        assertEquals(RedisKeys.BUCKETS, channels.size());
    }

    @Test
    void refusesAPrefixWithBracesWhichWouldMoveEveryKey() {
        assertThrows(IllegalArgumentException.class, () -> new RedisKeys("app{1}:"));
    }

    private static String tagOf(String key) {
        return key.substring(key.indexOf('{') + 1, key.indexOf('}'));
    }
}
