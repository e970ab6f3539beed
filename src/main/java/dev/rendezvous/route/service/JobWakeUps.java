package dev.rendezvous.route.service;

/** The port through which a store that replicas share tells this instance that jobs may be due. */
public interface JobWakeUps {

    /** Jobs of route {@code name} may be due now (enqueued or offered again on another instance). */
    void due(String name);
}
