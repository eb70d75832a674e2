package dev.chromatic.trainer.rollout;

import dev.chromatic.sim.cheetah.HalfCheetahEnv;
import dev.chromatic.sim.classic.ClassicEnvs;
import java.util.ArrayList;
import java.util.List;

/** Builds training environments by id. */
public final class TrainingEnvs {

    private TrainingEnvs() {
    }

    /** Every id {@link #create} accepts. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>(ClassicEnvs.IDS);
        ids.add(HalfCheetahEnv.ID);
        ids.addAll(MinitaurTrainingEnv.IDS);
        return ids;
    }

    /**
     * A new environment (one per worker thread); {@code options} say how a robot environment's
     * episodes start and how its simulator is randomised (classic tasks ignore them).
     *
     * @throws IllegalArgumentException naming the unknown id and the known ones
     */
    public static TrainingEnv create(String id, EnvOptions options) {
        if (ClassicEnvs.isClassic(id)) {
            return new ClassicTrainingEnv(id);
        }
        if (HalfCheetahEnv.ID.equals(id)) {
            return new ClassicTrainingEnv(id, new HalfCheetahEnv());
        }
        if (MinitaurTrainingEnv.IDS.contains(id)) {
            return MinitaurTrainingEnv.create(id, options);
        }
        throw new IllegalArgumentException("unknown env '" + id + "', expected one of " + ids());
    }
}
