package dev.chromatic.runtime.loop;

import dev.chromatic.runtime.stack.ControllerStep;
import java.util.Objects;

/**
 * A controller ready to run together with the facts about the policy it came from. Immutable;
 * built off the loop thread and handed over with {@link ControlAgent#offerPolicy}.
 *
 * @param step the controller (owned by the loop thread once offered)
 * @param sha256Hex SHA-256 of the policy file, lower-case hex
 * @param policyVersion monotonic version from the envelope
 * @param verified integrity (and signature, when required) checked; arming needs it
 * @param controlPeriodNs the control period the policy was trained for
 */
public record InstalledPolicy(ControllerStep step, String sha256Hex, long policyVersion, boolean verified,
                              long controlPeriodNs) {

    public InstalledPolicy {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        if (controlPeriodNs <= 0) {
            throw new IllegalArgumentException("controlPeriodNs must be > 0, was " + controlPeriodNs);
        }
    }
}
