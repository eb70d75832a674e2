package dev.chromatic.runtime.safety;

import dev.chromatic.runtime.events.Reason;

/**
 * Told on the loop thread when the safe state latches (e.g. by a policy-update service that rolls
 * back a new policy which trips within its health window). Must not block, allocate or throw.
 */
@FunctionalInterface
public interface TripListener {

    void onTrip(Reason reason, long timeNs, long cycle);
}
