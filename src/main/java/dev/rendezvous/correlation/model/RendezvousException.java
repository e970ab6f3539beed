package dev.rendezvous.correlation.model;

/** A request turned down for a reason the client can act on; never carries a secret in its detail. */
public final class RendezvousException extends RuntimeException {

    private final Rejection rejection;

    public RendezvousException(Rejection rejection, String detail) {
        super(detail, null, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }

    public String detail() {
        return getMessage();
    }
}
