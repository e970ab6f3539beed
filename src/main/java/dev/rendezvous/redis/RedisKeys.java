package dev.rendezvous.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The names of everything the service keeps in Redis, laid out so that every script and every
 * publication touches one cluster slot, as Redis Cluster requires (docs/redis.md, "Key layout").
 *
 * <p>A correlation lives in one of {@value #BUCKETS} buckets, chosen from its ID; a bucket is a hash
 * tag on a slot of its own ({@link SlotTags}), so correlations spread over the primaries in
 * proportion to their slots. Its wake-ups go out on its bucket's sharded channel, which lives in the
 * same slot, so that a publication reaches only the node that holds it and the replicas subscribed
 * there. A route's queue, leases, sequence, jobs and wake-up channel share the route's own tag: a
 * route lives on one primary. An API key's index of what it holds is tagged with the key's scope.
 */
final class RedisKeys {

    /** Buckets of correlations; also the sharded channels each replica subscribes to. */
    static final int BUCKETS = 256;

    private static final String[] TAGS = SlotTags.evenlySpread(BUCKETS);

    private final String prefix;
    private final byte[][] correlationPrefixes = new byte[BUCKETS][];

    RedisKeys(String prefix) {
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException(
                    "rendezvous.redis.key-prefix must not hold '{' or '}', which would change every key's cluster slot: "
                            + prefix);
        }
        this.prefix = prefix;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            correlationPrefixes[bucket] = (prefix + "c:{" + TAGS[bucket] + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A correlation's bucket: the same on every replica ({@link String#hashCode} is specified), its
     * bits mixed (MurmurHash3's finalizer) so that IDs that differ only in a counter at their end,
     * which hash to nearby values, still spread over every bucket.
     */
    static int bucket(String id) {
        int h = id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (BUCKETS - 1);
    }

    String correlation(String id) {
        return prefix + "c:{" + TAGS[bucket(id)] + "}" + id;
    }

    /** {@link #correlation} as the bytes sent to Redis, without the string; IDs are ASCII (see {@code CorrelationIds}). */
    byte[] correlationBytes(String id) {
        byte[] head = correlationPrefixes[bucket(id)];
        byte[] key = Arrays.copyOf(head, head.length + id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c > 0x7F) {
                return correlation(id).getBytes(StandardCharsets.UTF_8);
            }
            key[head.length + i] = (byte) c;
        }
        return key;
    }

    /** The sharded channel of the correlation's bucket, on which its changes are published. */
    String settledChannel(String id) {
        return settledChannel(bucket(id));
    }

    /** Every bucket's channel, in bucket order. */
    List<String> settledChannels() {
        return java.util.stream.IntStream.range(0, BUCKETS)
                .mapToObj(this::settledChannel)
                .toList();
    }

    private String settledChannel(int bucket) {
        return prefix + "settled{" + TAGS[bucket] + "}";
    }

    /** The index of what an API key holds, by its scope. */
    String owner(String scope) {
        return prefix + "o:{" + scope + "}";
    }

    /** The route a correlation's job was queued on, so that the job can be found from the ID alone. */
    String jobRoute(String id) {
        return prefix + "jr:{" + TAGS[bucket(id)] + "}" + id;
    }

    String job(String route, String id) {
        return jobs(route) + id;
    }

    /** What a job's key starts with, for scripts that find jobs by the IDs in a queue. */
    String jobs(String route) {
        return prefix + "j:{" + route + "}";
    }

    String queue(String route) {
        return prefix + "q:{" + route + "}";
    }

    String leases(String route) {
        return prefix + "l:{" + route + "}";
    }

    String sequence(String route) {
        return prefix + "s:{" + route + "}";
    }

    /** The sharded channel on which the route's newly due jobs are announced. */
    String jobsChannel(String route) {
        return prefix + "jobs{" + route + "}";
    }
}
