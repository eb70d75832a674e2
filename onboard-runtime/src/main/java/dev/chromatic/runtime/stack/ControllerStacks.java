package dev.chromatic.runtime.stack;

import dev.chromatic.hal.RobotSpec;
import java.util.List;

/** Builds a robot controller stack by the id a policy file names. */
public final class ControllerStacks {

    /** Every id {@link #create} accepts. */
    public static final List<String> IDS = List.of(PmtgStack.ID, DirectStack.ID);

    private ControllerStacks() {
    }

    /**
     * The stack {@code stackId} for {@code spec} at {@code controlPeriodNs}.
     *
     * @throws IllegalArgumentException naming the unknown id and the known ones
     */
    public static ControllerStack create(String stackId, RobotSpec spec, long controlPeriodNs) {
        if (controlPeriodNs <= 0) {
            throw new IllegalArgumentException("control period must be > 0 ns, was " + controlPeriodNs);
        }
        if (PmtgStack.ID.equals(stackId)) {
            return new PmtgStack(spec, controlPeriodNs, PmtgStack.DEFAULT_SPEED_MPS);
        }
        if (DirectStack.ID.equals(stackId)) {
            return new DirectStack(spec, controlPeriodNs);
        }
        throw new IllegalArgumentException("unknown controller stack '" + stackId + "', expected one of " + IDS);
    }

    /** The default action scaling {@code (scale, offset)} of a stack. */
    public static double[][] defaultActionScaling(String stackId) {
        if (PmtgStack.ID.equals(stackId)) {
            return new double[][] {PmtgStack.defaultActionScale(), PmtgStack.defaultActionOffset()};
        }
        if (DirectStack.ID.equals(stackId)) {
            return new double[][] {DirectStack.defaultActionScale(), DirectStack.defaultActionOffset()};
        }
        throw new IllegalArgumentException("unknown controller stack '" + stackId + "', expected one of " + IDS);
    }
}
