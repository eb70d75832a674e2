package dev.chromatic.sim.gait;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;

/**
 * The open-loop trot of the reference trotting environment, in leg coordinates around the
 * neutral pose: {@code e = e0 + A_e cos(2 pi f t + phi_leg)}, {@code s = A_s sin(2 pi f t + phi_leg)},
 * phi = 0 for legs 0 and 3 (front-left, back-right) and pi for legs 1 and 2. With this project's
 * convention (larger extension = shorter leg) each leg lifts while it swings forward and pushes
 * back while long, so the robot walks forward. Defaults f = 2 Hz, A_e = 0.35 rad, A_s = 0.3 rad.
 * Stateless; no allocation.
 */
public final class OpenLoopTrot {

    private final RobotSpec spec;
    private final double frequencyHz;
    private final double extensionAmplitudeRad;
    private final double swingAmplitudeRad;

    public OpenLoopTrot(RobotSpec spec, double frequencyHz, double extensionAmplitudeRad, double swingAmplitudeRad) {
        this.spec = spec;
        this.frequencyHz = frequencyHz;
        this.extensionAmplitudeRad = extensionAmplitudeRad;
        this.swingAmplitudeRad = swingAmplitudeRad;
    }

    /** The reference trot: 2 Hz, extension amplitude 0.35 rad, swing amplitude 0.3 rad. */
    public static OpenLoopTrot reference(RobotSpec spec) {
        return new OpenLoopTrot(spec, 2.0, 0.35, 0.3);
    }

    /** Fills {@code out} with position targets for time {@code timeNs} since the gait started. */
    public void command(long timeNs, MotorCommand out) {
        double t = timeNs * 1e-9;
        double phase = 2 * Math.PI * frequencyHz * t;
        for (int leg = 0; leg < spec.legCount(); leg++) {
            double offset = (leg == 0 || leg == 3) ? 0.0 : Math.PI;
            double e = spec.neutralExtensionRad() + extensionAmplitudeRad * Math.cos(phase + offset);
            double s = swingAmplitudeRad * Math.sin(phase + offset);
            spec.legToMotorAngles(leg, s, e, out.positionRad);
        }
        out.mode = MotorCommand.Mode.POSITION;
        out.customGains = false;
    }
}
