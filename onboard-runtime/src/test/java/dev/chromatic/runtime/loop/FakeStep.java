package dev.chromatic.runtime.loop;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.stack.ControllerStep;

/** A small deterministic controller: a sine gait around the standing pose; can emit a bad number. */
public final class FakeStep implements ControllerStep {

    private final double[] observation = new double[4];
    private final double[] action = new double[8];
    private double phaseRad;
    public int resets;
    public long steps;
    public double poison = 0.0;
    public double amplitudeRad = 0.001;
    public double lastStartPhaseRad = Double.NaN;
    /** Thrown from the next step when set (a controller bug), then cleared. */
    public RuntimeException fault;

    @Override
    public void reset(double startPhaseRad) {
        resets++;
        lastStartPhaseRad = startPhaseRad;
        phaseRad = 0;
    }

    @Override
    public void step(SensorFrame frame, MotorCommand out) {
        steps++;
        RuntimeException f = fault;
        if (f != null) {
            fault = null;
            throw f;
        }
        observation[0] = frame.rollRad;
        observation[1] = frame.pitchRad;
        observation[2] = Math.cos(phaseRad);
        observation[3] = Math.sin(phaseRad);
        phaseRad += 0.05;
        for (int m = 0; m < 8; m++) {
            action[m] = amplitudeRad * Math.sin(phaseRad + m);
            out.positionRad[m] = frame.motorAngleRad[m] + action[m];
        }
        if (poison != 0.0) {
            action[3] = poison;
        }
        out.mode = MotorCommand.Mode.POSITION;
    }

    @Override
    public double[] observation() {
        return observation;
    }

    @Override
    public double[] action() {
        return action;
    }
}
