package dev.chromatic.trainer.rollout;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.runtime.stack.ControllerStep;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.task.Task;
import dev.chromatic.trainer.es.Rng;

/**
 * One episode of the simulated robot driven by the robot's own loop ({@link RobotLoop}, in
 * lockstep), started the way the robot starts: the simulator's reset (its start pose and domain
 * randomisation come from the seed and its settings), a random time unpowered (the loop disarmed,
 * motors off), an arm command, the stand-up ramp and the settle gate, then the policy for up to
 * {@code maxPolicySteps} control periods. The task scores only the policy's steps, from the
 * hand-over on; the episode ends early when the task sees a fall or the safety supervisor latches.
 * Everything random is drawn from the episode seed: the same seed gives the same episode.
 *
 * <p>One instance per simulator (one per worker thread); a new loop is composed per episode, so no
 * state of a previous episode carries over. Not thread-safe.
 */
public final class RobotEpisode {

    /** Where a random unpowered time and starting TG phase come from, and the robot loop's settings. */
    public record Settings(double unpoweredMinS, double unpoweredMaxS, boolean randomPhase, StandUpSettings standUp,
                           SafetyLimits limits) {

        public Settings {
            if (!(unpoweredMinS >= 0) || !(unpoweredMaxS >= unpoweredMinS) || unpoweredMaxS > 60) {
                throw new IllegalArgumentException("unpowered time must satisfy 0 <= min <= max <= 60 s, was "
                        + unpoweredMinS + ".." + unpoweredMaxS);
            }
        }

        /**
         * The robot's start: 0.2-1.5 s unpowered, the robot's stand-up and settle gate, a random TG
         * phase at the hand-over, the robot's safety limits.
         */
        public static Settings robotStart() {
            return new Settings(0.2, 1.5, true, StandUpSettings.defaults(), SafetyLimits.defaults());
        }
    }

    /** Called after every cycle of the episode (render, statistics). */
    public interface Observer {
        /** {@code policyStep} is true for the cycles the policy drove, which the task scores. */
        void afterCycle(RobotLoop loop, MinitaurSim sim, boolean policyStep);
    }

    /** What one episode did. Filled in place by {@link #run}. */
    public static final class Result {
        /** Task reward summed over the policy's steps. */
        public double reward;
        /** Control periods the policy drove. */
        public int policySteps;
        /** Forward distance of the base from the hand-over to the end (ground truth), m. */
        public double distanceM;
        /** The task saw a fall or the safety supervisor latched. */
        public boolean fell;
        /** Why the supervisor latched ({@link Reason#NONE} if it did not). */
        public Reason safetyReason = Reason.NONE;
        /** The policy took over (false: arming was refused, or the robot fell or tripped before). */
        public boolean handedOver;
        /**
         * The robot refused to arm (e.g. it had tipped onto its side while unpowered): nothing moved,
         * the start is not a fall.
         */
        public boolean armRefused;
        /** Why arming was refused ({@code NONE} when it was not). */
        public Reason armRefusal = Reason.NONE;
        /** How long the settle gate waited, s. */
        public double settleWaitS;
        /** How long the arm request waited for the body to come to rest. */
        public double restWaitS;
        /** The gate handed over at the end of its bounded wait, not after a still hold. */
        public boolean settleTimedOut;
        /** Time unpowered before the arm command, s. */
        public double unpoweredS;
        /** Simulated time from the arm command to the hand-over, s. */
        public double standUpS;

        /** Distance over the policy's driving time, m/s (0 when it never drove). */
        public double speedMps(long periodNs) {
            return policySteps == 0 ? 0.0 : distanceM / (policySteps * periodNs * 1e-9);
        }

        void clear() {
            reward = 0;
            policySteps = 0;
            distanceM = 0;
            fell = false;
            safetyReason = Reason.NONE;
            handedOver = false;
            armRefused = false;
            armRefusal = Reason.NONE;
            settleWaitS = 0;
            restWaitS = 0;
            settleTimedOut = false;
            unpoweredS = 0;
            standUpS = 0;
        }
    }

    private static final long START_STREAM = 0x57A27L;

    private final MinitaurSim sim;
    private final Task task;
    private final Settings settings;
    private final long periodNs;
    private final double[] position = new double[3];

    public RobotEpisode(MinitaurSim sim, Task task, Settings settings) {
        this.sim = sim;
        this.task = task;
        this.settings = settings;
        this.periodNs = sim.config().controlPeriodNs;
    }

    public long periodNs() {
        return periodNs;
    }

    /**
     * Runs one episode of {@code controller} from {@code seed}, for at most {@code maxPolicySteps}
     * policy steps; fills and returns {@code out}. {@code observer} may be null.
     */
    public Result run(long seed, ControllerStep controller, int maxPolicySteps, Observer observer, Result out) {
        out.clear();
        Rng rng = Rng.derive(seed, START_STREAM);
        long simSeed = rng.nextLong();
        double unpoweredS = settings.unpoweredMinS() + rng.nextDouble() * (settings.unpoweredMaxS() - settings.unpoweredMinS());
        double startPhase = settings.randomPhase() ? rng.nextDouble() * 2 * Math.PI : 0.0;
        sim.reset(simSeed);

        RobotLoop loop = RobotLoop.context().hardware(sim).lockstep()
                .settings(new LoopSettings(periodNs, 1, 8, false)).safety(settings.limits()).standUp(settings.standUp())
                .policy(new InstalledPolicy(controller, "episode", 0, true, periodNs)).build();
        loop.standUp().setStartPhaseRad(startPhase);
        RobotLoop.Lockstep lockstep = loop.lockstep();

        int unpoweredCycles = (int) Math.round(unpoweredS * 1e9 / periodNs);
        out.unpoweredS = unpoweredCycles * periodNs * 1e-9;
        for (int i = 0; i <= unpoweredCycles; i++) {
            lockstep.tick();
            observe(observer, loop, false);
        }
        lockstep.command(CommandKind.ARM);
        StandUpSettings su = settings.standUp();
        long preCycles = 2 + (su.restMaxNs() + su.rampNs() + su.settleMaxNs()) / periodNs + 2;
        double startX = 0;
        int standUpCycles = 0;
        for (long i = 0; i < preCycles && loop.standUp().phase() != Phase.POLICY; i++) {
            sim.basePosition(position);
            startX = position[0];
            task.reset(sim);
            lockstep.tick();
            standUpCycles++;
            if (loop.safety().state() != SafetyState.ARMED && !loop.agent().armPending()) {
                out.armRefused = loop.safety().state() == SafetyState.DISARMED;
                out.armRefusal = out.armRefused ? loop.safety().lastArmRefusal() : Reason.NONE;
                break;
            }
            boolean drove = loop.standUp().phase() == Phase.POLICY;
            if (drove) {
                out.reward += task.reward(sim);
                out.policySteps++;
            }
            observe(observer, loop, drove);
        }
        out.standUpS = Math.max(0, standUpCycles - 1) * periodNs * 1e-9;
        out.handedOver = loop.standUp().phase() == Phase.POLICY || loop.standUp().handOvers() > 0;
        out.settleWaitS = Math.max(0, loop.standUp().lastSettleWaitNs()) * 1e-9;
        out.settleTimedOut = loop.standUp().lastSettleTimedOut();
        out.restWaitS = Math.max(0, loop.standUp().lastRestWaitNs()) * 1e-9;
        while (out.handedOver && out.policySteps < maxPolicySteps && !task.done()
                && loop.safety().state() == SafetyState.ARMED) {
            lockstep.tick();
            if (loop.safety().state() == SafetyState.SAFE) {
                break;
            }
            out.reward += task.reward(sim);
            out.policySteps++;
            observe(observer, loop, true);
        }
        sim.basePosition(position);
        out.distanceM = out.handedOver ? position[0] - startX : 0.0;
        out.safetyReason = loop.safety().reason();
        out.fell = !out.armRefused && (task.fell() || loop.safety().state() == SafetyState.SAFE);
        return out;
    }

    private void observe(Observer observer, RobotLoop loop, boolean policyStep) {
        if (observer != null) {
            observer.afterCycle(loop, sim, policyStep);
        }
    }
}
