package dev.chromatic.trainer.cluster;

/** A chunk without the broadcast reached a member that no longer holds it; the coordinator resends it with the broadcast. */
public final class BroadcastMissingException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public BroadcastMissingException(String message) {
        super(message);
    }
}
