package dev.chromatic.trainer;

import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.inference.FixedPointNetwork;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.EnvOptions;
import dev.chromatic.trainer.rollout.MinitaurTrainingEnv;
import dev.chromatic.trainer.rollout.RobotEpisode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a robot policy for many episodes from randomised robot starts, each through the robot's own
 * loop in lockstep (power-up start, time unpowered, stand-up, settle gate, then the policy), once
 * with the float64 network and once with the robot's fixed-point network on the same seeds. Speed
 * is measured from the hand-over to the episode's end with the simulator's ground-truth position.
 * Episode {@code i} depends only on {@code (seed, i)}: any thread count gives the same figures.
 */
public final class RobustnessEvaluation {

    private static final long ROBUST_STREAM = 11;

    /** One episode's figures. */
    public record Episode(double rewardFloat, double rewardFixed, double distanceM, double speedMps, boolean fell,
                          boolean fellFixed, Reason safetyReason, boolean handedOver, boolean armRefused,
                          Reason armRefusal, double settleWaitS, boolean settleTimedOut, double unpoweredS,
                          double restWaitS) {
    }

    /** Every episode, in order. */
    public record Report(Episode[] episodes, long periodNs) {

        public int falls() {
            return (int) Arrays.stream(episodes).filter(Episode::fell).count();
        }

        public int fallsFixed() {
            return (int) Arrays.stream(episodes).filter(Episode::fellFixed).count();
        }

        /** Safety-supervisor trips (float network) by reason name. */
        public Map<String, Integer> safetyTrips() {
            Map<String, Integer> m = new TreeMap<>();
            for (Episode e : episodes) {
                if (e.safetyReason() != Reason.NONE) {
                    m.merge(e.safetyReason().wireName(), 1, Integer::sum);
                }
            }
            return m;
        }

        /** Distance of every start the robot armed for (refused arms moved nothing and are counted apart). */
        public double[] distances() {
            return Arrays.stream(episodes).filter(e -> !e.armRefused()).mapToDouble(Episode::distanceM).toArray();
        }

        /** Speed from the hand-over on, of every start the robot armed for. */
        public double[] speeds() {
            return Arrays.stream(episodes).filter(e -> !e.armRefused()).mapToDouble(Episode::speedMps).toArray();
        }

        public double meanRewardFloat() {
            return Arrays.stream(episodes).mapToDouble(Episode::rewardFloat).average().orElse(0);
        }

        public double meanRewardFixed() {
            return Arrays.stream(episodes).mapToDouble(Episode::rewardFixed).average().orElse(0);
        }

        /** How long each arm waited for the limp body to come to rest (every episode that was judged). */
        public double[] restWaits() {
            return Arrays.stream(episodes).mapToDouble(Episode::restWaitS).toArray();
        }

        public double[] settleWaits() {
            return Arrays.stream(episodes).filter(Episode::handedOver).mapToDouble(Episode::settleWaitS).toArray();
        }

        /** Starts where the robot refused to arm (not upright after its time unpowered): not falls. */
        public int armRefusals() {
            return (int) Arrays.stream(episodes).filter(Episode::armRefused).count();
        }

        /** Refused arms by the supervisor's reason (e.g. {@code roll_limit}: the body lay tipped over). */
        public Map<String, Integer> armRefusalReasons() {
            Map<String, Integer> m = new TreeMap<>();
            for (Episode e : episodes) {
                if (e.armRefused()) {
                    m.merge(e.armRefusal().wireName(), 1, Integer::sum);
                }
            }
            return m;
        }

        /** Safety trips before the policy took over (the stand-up), by reason. */
        public int standUpTrips() {
            return (int) Arrays.stream(episodes).filter(e -> !e.handedOver() && !e.armRefused()).count();
        }

        public int settleTimeouts() {
            return (int) Arrays.stream(episodes).filter(Episode::settleTimedOut).count();
        }
    }

    private RobustnessEvaluation() {
    }

    /**
     * Runs {@code episodes} episodes of {@code policy} on the robot env {@code envId}.
     *
     * @throws IllegalArgumentException when the env is not a robot env or the policy does not fit it
     */
    public static Report run(Policy policy, String envId, EnvOptions options, int episodes, long seed, int maxSteps,
            int threads) {
        if (!MinitaurTrainingEnv.IDS.contains(envId)) {
            throw new IllegalArgumentException("robustness runs need a robot env " + MinitaurTrainingEnv.IDS + ", not '"
                    + envId + "'");
        }
        int workers = Math.max(1, Math.min(threads, episodes));
        MinitaurTrainingEnv[] envs = new MinitaurTrainingEnv[workers];
        Episode[] out = new Episode[episodes];
        long[] periodNs = new long[1];
        try (ParallelFor parallel = new ParallelFor(workers)) {
            parallel.run(episodes, (i, w) -> {
                MinitaurTrainingEnv env = envs[w];
                if (env == null) {
                    env = MinitaurTrainingEnv.create(envId, options);
                    if (env.observationDim() != policy.observationDim() || env.actionDim() != policy.actionDim()) {
                        env.close();
                        throw new IllegalArgumentException("policy is " + policy.observationDim() + "->" + policy.actionDim()
                                + " but env " + envId + " is " + env.observationDim() + "->" + env.actionDim());
                    }
                    env.setActionScaling(policy.actionScale(), policy.actionOffset());
                    envs[w] = env;
                    periodNs[0] = env.controlPeriodNs();
                }
                int limit = maxSteps > 0 ? maxSteps : env.maxSteps();
                long s = Rng.deriveSeed(seed, ROBUST_STREAM, i);
                RobotEpisode.Result fixed = env.runEpisode(s, network(policy, true), policy.obsMean(), policy.obsStd(),
                        policy.obsClip(), limit, null, null);
                double rewardFixed = fixed.reward;
                boolean fellFixed = fixed.fell;
                RobotEpisode.Result r = env.runEpisode(s, network(policy, false), policy.obsMean(), policy.obsStd(),
                        policy.obsClip(), limit, null, null);
                out[i] = new Episode(r.reward, rewardFixed, r.distanceM, r.speedMps(env.controlPeriodNs()), r.fell,
                        fellFixed, r.safetyReason, r.handedOver, r.armRefused, r.armRefusal, r.settleWaitS, r.settleTimedOut,
                        r.unpoweredS, r.restWaitS);
            });
        } finally {
            for (MinitaurTrainingEnv e : envs) {
                if (e != null) {
                    e.close();
                }
            }
        }
        return new Report(out, periodNs[0]);
    }

    private static NetworkEvaluator network(Policy policy, boolean fixed) {
        return fixed ? FixedPointNetwork.of(policy) : FloatNetwork.of(policy);
    }
}
