package dev.rendezvous.api.malformed;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The malformed requests of one seed, by family, and the live correlations they must leave alone.
 * The families draw from one {@link Random}, in the order below, so that a seed always names the
 * same requests: the default seed, {@value #DEFAULT_SEED}, names 1,191 of them.
 */
final class Barrage {

    /** The seed unless {@value #SEED_PROPERTY} names another. */
    static final long DEFAULT_SEED = 20_261_207L;

    static final String SEED_PROPERTY = "barrage.seed";

    final long seed;
    final LiveCorrelations live;
    final JsonBodies jsonBodies;
    final IdsAndPaths idsAndPaths;
    final MethodsAndMediaTypes methodsAndMediaTypes;
    final HeadersAndQueries headersAndQueries;
    final MalformedHttp malformedHttp;

    private Barrage(long seed) {
        this.seed = seed;
        Random random = new Random(seed);
        live = LiveCorrelations.create(random);
        jsonBodies = new JsonBodies(random, live);
        idsAndPaths = new IdsAndPaths(random, live);
        methodsAndMediaTypes = new MethodsAndMediaTypes(random, live);
        headersAndQueries = new HeadersAndQueries(random, live);
        malformedHttp = new MalformedHttp(random, live);

        // Each generator draws from random where the one before it stopped: keep this order.
        jsonBodies.randomBytes();
        jsonBodies.nesting();
        jsonBodies.numbers();
        idsAndPaths.unicodeAndControlIds();
        idsAndPaths.encodedAndTraversalIds();
        jsonBodies.nulBytes();
        malformedHttp.nulInHeaders();
        headersAndQueries.duplicates();
        methodsAndMediaTypes.methods();
        methodsAndMediaTypes.mediaTypes();
        malformedHttp.framing();
        headersAndQueries.preferences();
        headersAndQueries.tokens();
        malformedHttp.brokenRequests();
    }

    /** Creates the live correlations and generates every request of the seed. */
    static Barrage of(long seed) {
        return new Barrage(seed);
    }

    /** {@value #SEED_PROPERTY} if set, else {@value #DEFAULT_SEED}. */
    static long seed() {
        return Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
    }

    /** The seed as a failure message gives it. */
    String seedNote() {
        return "seed " + seed + " (repeat with -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    int size() {
        return Stream.of(jsonBodies, idsAndPaths, methodsAndMediaTypes, headersAndQueries, malformedHttp)
                .map(Inputs::cases)
                .mapToInt(List::size)
                .sum();
    }
}
