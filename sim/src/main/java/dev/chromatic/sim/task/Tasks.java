package dev.chromatic.sim.task;

import java.util.List;

/** Names the simulator tasks and builds them by id. */
public final class Tasks {

    /** Every id {@link #create} accepts. */
    public static final List<String> IDS = List.of(MinitaurWalkTask.ID);

    private Tasks() {
    }

    /** A new task for {@code id}; throws naming the unknown id and the known ones. */
    public static Task create(String id) {
        if (MinitaurWalkTask.ID.equals(id)) {
            return new MinitaurWalkTask();
        }
        throw new IllegalArgumentException("unknown task '" + id + "', expected one of " + IDS);
    }
}
