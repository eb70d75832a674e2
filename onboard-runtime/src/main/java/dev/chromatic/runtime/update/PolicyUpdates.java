package dev.chromatic.runtime.update;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.ControllerStack;
import dev.chromatic.runtime.stack.ControllerStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Builds the robot's policy-update service from its settings: trusted keys, the store (recovered
 * after a crash), the compatibility rules of the configured controller stack, the mailman
 * controller builder and the health window. Wiring into a runtime takes four lines:
 *
 * <pre>
 * PolicyUpdateService updates = PolicyUpdates.create(settings, spec, loopPeriodNs,
 *         control::offerPolicy, outbox::offer, safety::isArmed, NanoClock.system());
 * safety.setTripListener(updates.health());
 * link.subscribe(topics.sub("policy"), 1, (topic, bytes) -> updates.submit(bytes));
 * updates.boot();   // then run it on its own thread: AgentRunner.start(updates, ...)
 * </pre>
 */
public final class PolicyUpdates {

    private PolicyUpdates() {
    }

    /**
     * @throws IllegalArgumentException naming the settings key that is wrong (missing folder, no
     *     trusted key, unknown stack), or when the store cannot be opened
     */
    public static PolicyUpdateService create(PolicyUpdateSettings s, RobotSpec spec, long loopPeriodNs,
                                             Consumer<InstalledPolicy> loop, Consumer<String> events,
                                             BooleanSupplier armed, NanoClock clock) {
        TrustedKeys trust;
        try {
            if (!Files.isDirectory(s.trustedKeysDir())) {
                throw new IllegalArgumentException(PolicyUpdateSettings.TRUSTED_KEYS_DIR + ": " + s.trustedKeysDir()
                        + " is not a folder");
            }
            trust = TrustedKeys.fromDirectory(s.trustedKeysDir());
        } catch (IOException | PolicyFormatException e) {
            throw new IllegalArgumentException(PolicyUpdateSettings.TRUSTED_KEYS_DIR + ": " + e.getMessage(), e);
        }
        if (trust.size() == 0) {
            throw new IllegalArgumentException(PolicyUpdateSettings.TRUSTED_KEYS_DIR + ": no *.pub key in "
                    + s.trustedKeysDir() + ", so no policy could ever be accepted");
        }
        ControllerStack stack;
        try {
            stack = ControllerStacks.create(s.stackId(), spec, loopPeriodNs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PolicyUpdateSettings.STACK + ": " + e.getMessage(), e);
        }
        PolicyFileOpener opener = PolicyFileOpener.signedBy(trust);
        PolicyStore store;
        try {
            store = PolicyStore.open(s.storeDir(), PolicyFileOpener.verifierFor(opener));
        } catch (IOException e) {
            throw new IllegalArgumentException(PolicyUpdateSettings.STORE_DIR + ": " + e.getMessage(), e);
        }
        PolicyCompatibility compat = PolicyCompatibility.of(spec, stack.id(), stack.observationDim(), stack.actionDim(),
                loopPeriodNs);
        return new PolicyUpdateService(new PolicyUpdateService.Config(store, opener, compat, spec,
                StepBuilder.mailman(spec), loop, events, new HealthWindow(s.healthWindowNs()), armed, clock,
                s.maxFileBytes()));
    }
}
