package dev.rendezvous.route.service;

/** What dispatching jobs reports as it happens, for metrics; every method is cheap and never blocks. */
public interface RouteEvents {

    /** Reports nothing. */
    RouteEvents NONE = new RouteEvents() {};

    /** A job was dispatched (push) or leased to a worker (pull). */
    default void attempted(String route) {}

    /** A push dispatch will be tried again after a delay. */
    default void retried(String route) {}

    /** A job was given up and its correlation failed, for {@code cause} (one of a small fixed set). */
    default void failed(String route, String cause) {}

    /** A lease ran out without a result, failure or heartbeat. */
    default void leaseExpired(String route) {}
}
