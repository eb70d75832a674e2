package dev.chromatic.runtime.telemetry;

import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;

/** What the retained {@code state} topic shows; every getter is safe to call from any thread. */
public interface RuntimeStatus {

    SafetyState safetyState();

    Reason safetyReason();

    /** What drives the motors while armed (stand-up, settle gate, policy); {@code NONE} otherwise. */
    Phase phase();

    /** SHA-256 of the installed policy file, or null when none is installed. */
    String policySha256();

    long policyVersion();

    long periodNs();

    /** Sequence number of the last command the loop applied. */
    long lastAppliedSequence();

    long cycles();

    long overruns();

    long missedPeriods();
}
