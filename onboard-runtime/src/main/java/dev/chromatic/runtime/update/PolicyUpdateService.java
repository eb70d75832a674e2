package dev.chromatic.runtime.update;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.agent.Agent;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.stack.ControllerStep;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Installs policies received over the air, off the control thread. For each file: size cap; SHA-256
 * and signature against the trusted keys before parsing (the {@link PolicyFileOpener}); version newer
 * than the installed one; compatibility with this robot; the fixed-point network and controller
 * pre-built and dry-run on a standing frame; the file staged atomically in the inactive slot and
 * committed; then the controller is offered to the loop, which swaps it in at a cycle boundary.
 * A policy is never swapped under an armed robot: a file that passes every check while the robot
 * is armed is staged (written to the inactive slot, verdict {@code staged}, shown as
 * {@code pending} on the state topic) and committed and offered on this thread's first poll after
 * the robot is no longer armed (disarmed, or latched safe). A staged file is not committed, so a
 * restart before that forgets it (the active policy stays; send the file again). A newer file
 * replaces a staged one. While the robot is armed and the policy installed last is still inside its
 * health window, a new file is refused (field {@code health_window}): staging it would overwrite
 * that policy's rollback target. A safety trip that the new policy caused
 * ({@link HealthWindow#blamesPolicy}) within the health window after a swap rolls back to the
 * previous slot. Every
 * verdict is one JSON object on the events channel; {@link #stateJson()} is the policy part of the
 * state topic.
 *
 * <p>{@link #submit} may be called from any thread (e.g. the MQTT callback); everything else runs
 * on the agent's own thread. Nothing here ever throws into the caller of {@link #doWork()}.
 */
public final class PolicyUpdateService implements Agent {

    /** Verdict names on the wire. */
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String ROLLED_BACK = "rolled_back";
    public static final String KEPT = "kept";
    public static final String BOOTED = "booted";
    public static final String STAGED = "staged";

    private final PolicyStore store;
    private final PolicyFileOpener opener;
    private final PolicyCompatibility compatibility;
    private final StepBuilder builder;
    private final Consumer<InstalledPolicy> loop;
    private final Consumer<String> events;
    private final HealthWindow health;
    private final BooleanSupplier armed;
    private final NanoClock clock;
    private final int maxFileBytes;
    private final BlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(2);
    private final SensorFrame dryFrame;
    private final MotorCommand dryCommand;
    private final RobotSpec spec;
    private volatile String stateJson = "{}";
    private volatile Map<String, Object> stateFields = Map.of();
    private volatile Map<String, Object> lastVerdict;
    private volatile String lastVerdictJson = "{}";
    private PolicySlot watched;
    /** A checked, prepared file staged while the robot was armed, waiting for it to stop; or null. */
    private Pending pending;

    private record Pending(PolicyStore.Staged staged, ControllerStep step, long controlPeriodNs) {
        PolicySlot slot() {
            return staged.slot();
        }
    }

    /** Everything the service needs; see the class comment for what each part does. */
    public record Config(PolicyStore store, PolicyFileOpener opener, PolicyCompatibility compatibility,
                         RobotSpec spec, StepBuilder builder, Consumer<InstalledPolicy> loop,
                         Consumer<String> events, HealthWindow health, BooleanSupplier armed, NanoClock clock,
                         int maxFileBytes) {
        public Config {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(opener, "opener");
            Objects.requireNonNull(compatibility, "compatibility");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(builder, "builder");
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(armed, "armed");
            Objects.requireNonNull(clock, "clock");
            if (maxFileBytes <= 0) {
                throw new IllegalArgumentException("maxFileBytes must be > 0, was " + maxFileBytes);
            }
        }
    }

    public PolicyUpdateService(Config c) {
        this.store = c.store();
        this.opener = c.opener();
        this.compatibility = c.compatibility();
        this.spec = c.spec();
        this.builder = c.builder();
        this.loop = c.loop();
        this.events = c.events();
        this.health = c.health();
        this.armed = c.armed();
        this.clock = c.clock();
        this.maxFileBytes = c.maxFileBytes();
        this.dryFrame = new SensorFrame(spec.motorCount());
        this.dryCommand = new MotorCommand(spec.motorCount());
        refreshState();
    }

    @Override
    public String roleName() {
        return "policy-update";
    }

    /**
     * Queues received file bytes for checking. Never blocks: when two files are already waiting the
     * new one is rejected at once with reason {@code busy}. Returns whether it was queued.
     */
    public boolean submit(byte[] file) {
        if (file == null || !inbox.offer(file)) {
            reject(file == null ? new byte[0] : file, "busy", "two files are already waiting to be checked");
            return false;
        }
        return true;
    }

    /**
     * Offers the store's active policy to the loop at start-up (falling back to the previous slot
     * when the active one no longer opens or fits) and reports what the store repaired.
     * Returns whether a policy was offered.
     */
    public boolean boot() {
        for (String note : store.recoveryNotes()) {
            emit(new JsonWriter().put("type", "policy_store").put("note", note).end());
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<PolicySlot> active = store.active();
            if (active.isEmpty()) {
                refreshState();
                return false;
            }
            PolicySlot slot = active.get();
            try {
                byte[] file = store.read(slot);
                LoadedPolicy opened = opener.open(file);
                compatibility.check(opened.policy());
                ControllerStep step = prepare(opened.policy());
                loop.accept(new InstalledPolicy(step, slot.sha256Hex(), slot.version(), true,
                        opened.policy().controlPeriodNs()));
                emit(verdict(BOOTED, slot.sha256Hex(), slot.version(), null, null));
                return true;
            } catch (PolicyFormatException | IOException | RuntimeException e) {
                String why = e.getMessage();
                emit(verdict(REJECTED, slot.sha256Hex(), slot.version(), "boot", "stored policy unusable: " + why));
                if (!tryRollback()) {
                    refreshState();
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public int doWork() {
        int work = 0;
        if (pending != null && !armed.getAsBoolean()) {
            Pending p = pending;
            pending = null;
            install(p.staged(), p.step(), p.controlPeriodNs());
            work++;
        }
        byte[] file = inbox.poll();
        if (file != null) {
            handle(file);
            work++;
        }
        HealthWindow.Outcome outcome = health.poll(clock.nanoTime(), armed.getAsBoolean());
        if (outcome == HealthWindow.Outcome.TRIPPED) {
            rollbackAfterTrip();
            work++;
        } else if (outcome == HealthWindow.Outcome.PASSED) {
            PolicySlot kept = watched;
            watched = null; // before the verdict, whose state snapshot must show the window closed
            emit(verdict(KEPT, kept.sha256Hex(), kept.version(), null,
                    "no policy-caused safety trip within " + health.windowNs() / 1_000_000 + " ms armed after the swap"));
            work++;
        }
        return work;
    }

    /**
     * Checks one file and stages it; installs it at once when the robot is not armed, else keeps it
     * pending. The verdict goes to the events channel.
     */
    void handle(byte[] file) {
        String sha = StoreRecord.sha256Hex(file);
        if (file.length > maxFileBytes) {
            reject(sha, -1, "size", file.length + " bytes exceeds the limit of " + maxFileBytes);
            return;
        }
        long version = -1;
        try {
            LoadedPolicy opened = opener.open(file);
            version = opened.policyVersion();
            if (version <= store.installedVersion()) {
                throw new PolicyFormatException("policy_version", version + " is not newer than the installed version "
                        + store.installedVersion() + " (replay or downgrade refused)");
            }
            if (pending != null && version <= pending.slot().version()) {
                throw new PolicyFormatException("policy_version", version + " is not newer than the staged version "
                        + pending.slot().version() + " waiting for the robot to disarm");
            }
            Policy policy = opened.policy();
            compatibility.check(policy);
            ControllerStep step = prepare(policy);
            boolean armedNow = armed.getAsBoolean();
            if (armedNow && watched != null) {
                // staging overwrites the inactive slot, which holds the rollback target of the policy
                // still being judged: keep it until that policy's verdict
                throw new PolicyFormatException("health_window", "the robot is armed and the policy installed last"
                        + " (version " + watched.version() + ") is still inside its health window; send this file"
                        + " again after its verdict (kept or rolled_back)");
            }
            // the staged file overwrites the inactive slot, so an older pending one is gone from here on
            pending = null;
            PolicyStore.Staged staged = store.stage(file);
            if (armedNow) {
                pending = new Pending(staged, step, policy.controlPeriodNs());
                emit(verdict(STAGED, sha, version, null,
                        "the robot is armed: the policy is stored and is installed when the robot is next disarmed"));
                return;
            }
            install(staged, step, policy.controlPeriodNs());
        } catch (PolicyFormatException e) {
            reject(sha, version, e.field(), e.getMessage());
        } catch (IOException e) {
            reject(sha, version, "store", "could not store the policy: " + e.getMessage());
        } catch (RuntimeException e) {
            reject(sha, version, "internal", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Commits a staged file, offers it to the loop and opens the health window; emits the verdict. */
    private void install(PolicyStore.Staged staged, ControllerStep step, long controlPeriodNs) {
        PolicySlot slot = staged.slot();
        try {
            store.commit(staged);
        } catch (IOException e) {
            reject(slot.sha256Hex(), slot.version(), "store", "could not store the policy: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            reject(slot.sha256Hex(), slot.version(), "internal", e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        try {
            loop.accept(new InstalledPolicy(step, slot.sha256Hex(), slot.version(), true, controlPeriodNs));
        } catch (RuntimeException refused) {
            try {
                if (store.previous().isPresent() && !store.previousWasRolledBack()) {
                    store.rollback();
                }
            } catch (IOException | RuntimeException e) {
                emit(new JsonWriter().put("type", "policy_store").put("note", "rollback failed: " + e.getMessage()).end());
            }
            reject(slot.sha256Hex(), slot.version(), "loop", "the control loop refused the policy: " + refused.getMessage());
            return;
        }
        health.cancel();
        watched = slot;
        health.open(clock.nanoTime());
        emit(verdict(ACCEPTED, slot.sha256Hex(), slot.version(), null, null));
    }

    /** Builds the controller and runs it once on a standing frame: every action must be finite. */
    private ControllerStep prepare(Policy policy) throws PolicyFormatException {
        ControllerStep step = builder.build(policy);
        dryFrame.clear();
        spec.standingPose(dryFrame.motorAngleRad);
        dryFrame.validMask = SensorFrame.VALID_ALL;
        dryFrame.accelZMps2 = 9.81;
        dryFrame.sequence = 1;
        step.reset(0.0);
        step.step(dryFrame, dryCommand);
        double[] action = step.action();
        for (int i = 0; i < action.length; i++) {
            if (!Double.isFinite(action[i])) {
                throw new PolicyFormatException("dry_run", "action[" + i + "] is " + action[i] + " on a standing frame");
            }
        }
        for (int m = 0; m < dryCommand.motorCount; m++) {
            if (!Double.isFinite(dryCommand.positionRad[m])) {
                throw new PolicyFormatException("dry_run", "motor " + m + " target is " + dryCommand.positionRad[m]);
            }
        }
        step.reset(0.0);
        // compile the step's code now, on this thread, not in the loop's first armed cycles
        Controller.warmUp(builder.build(policy), spec, Controller.WARM_UP_STEPS);
        return step;
    }

    private void rollbackAfterTrip() {
        PolicySlot failed = watched;
        watched = null;
        String reason = "safety trip (" + health.lastTripReason() + ") within "
                + health.windowNs() / 1_000_000 + " ms armed after the swap";
        if (!tryRollback()) {
            emit(verdict(ROLLED_BACK, failed.sha256Hex(), failed.version(), "no_previous",
                    reason + "; no previous policy to return to, the robot stays in its safe state"));
            return;
        }
        emit(verdict(ROLLED_BACK, failed.sha256Hex(), failed.version(), "health_window", reason));
    }

    /** Makes the previous slot active and offers it; false when there is none or it fails. */
    private boolean tryRollback() {
        try {
            if (store.previous().isEmpty() || store.previousWasRolledBack()) {
                return false;
            }
            PolicySlot slot = store.rollback();
            byte[] file = store.read(slot);
            LoadedPolicy opened = opener.open(file);
            compatibility.check(opened.policy());
            ControllerStep step = prepare(opened.policy());
            loop.accept(new InstalledPolicy(step, slot.sha256Hex(), slot.version(), true,
                    opened.policy().controlPeriodNs()));
            return true;
        } catch (PolicyFormatException | IOException | RuntimeException e) {
            emit(new JsonWriter().put("type", "policy_store").put("note", "rollback failed: " + e.getMessage()).end());
            return false;
        }
    }

    private void reject(byte[] file, String field, String reason) {
        reject(StoreRecord.sha256Hex(file), -1, field, reason);
    }

    private void reject(String sha, long version, String field, String reason) {
        emit(verdict(REJECTED, sha, version, field, reason));
    }

    private String verdict(String verdict, String sha, long version, String field, String reason) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("verdict", verdict);
        v.put("sha256", sha);
        v.put("version", version >= 0 ? version : null);
        v.put("field", field);
        v.put("reason", reason);
        lastVerdict = Collections.unmodifiableMap(v);
        refreshState();
        JsonWriter j = new JsonWriter().put("type", "policy_verdict").put("verdict", verdict).put("sha256", sha);
        if (version >= 0) {
            j.put("version", version);
        }
        if (field != null) {
            j.put("field", field);
        }
        if (reason != null) {
            j.put("reason", reason);
        }
        String json = j.putRaw("policy", stateJson).end();
        lastVerdictJson = json;
        return json;
    }

    private void emit(String json) {
        try {
            events.accept(json);
        } catch (RuntimeException e) {
            // a failing publisher must not stop policy handling; the state topic still carries the facts
        }
    }

    private void refreshState() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("active", slotFields(store.active()));
        f.put("previous", slotFields(store.previous()));
        f.put("installed_version", store.installedVersion());
        f.put("pending", slotFields(pendingSlot()));
        f.put("health_window_open", watched != null);
        f.put("last_verdict", lastVerdict);
        stateFields = Collections.unmodifiableMap(f);
        stateJson = new JsonWriter()
                .putRaw("active", slotJson(store.active()))
                .putRaw("previous", slotJson(store.previous()))
                .put("installed_version", store.installedVersion())
                .putRaw("pending", slotJson(pendingSlot()))
                .put("health_window_open", watched != null)
                .end();
    }

    private Optional<PolicySlot> pendingSlot() {
        Pending p = pending;
        return p == null ? Optional.empty() : Optional.of(p.slot());
    }

    private static Map<String, Object> slotFields(Optional<PolicySlot> s) {
        return s.map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slot", p.name());
            m.put("sha256", p.sha256Hex());
            m.put("version", p.version());
            return Collections.unmodifiableMap(m);
        }).orElse(null);
    }

    private static String slotJson(Optional<PolicySlot> s) {
        return s.map(p -> new JsonWriter().put("slot", p.name()).put("sha256", p.sha256Hex()).put("version", p.version()).end())
                .orElse("null");
    }

    /**
     * The policy part of the state topic: active and previous slot, installed version, the staged
     * file waiting for a disarm ({@code pending}, null when none) and whether a health window is open.
     * Any thread.
     */
    public String stateJson() {
        return stateJson;
    }

    /**
     * The same facts as {@link #stateJson()} plus the last verdict (verdict, sha256, version, field,
     * reason), as an immutable map for a state publisher; may contain null values. Any thread.
     */
    public Map<String, Object> stateFields() {
        return stateFields;
    }

    /** The last verdict event sent. Any thread. */
    public String lastVerdictJson() {
        return lastVerdictJson;
    }

    /** The window that decides rollbacks; register it (a {@link dev.chromatic.runtime.safety.TripListener}) with the safety supervisor. */
    public HealthWindow health() {
        return health;
    }
}
