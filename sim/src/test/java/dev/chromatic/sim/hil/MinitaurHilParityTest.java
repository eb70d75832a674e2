package dev.chromatic.sim.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.RemoteHardware;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import org.junit.jupiter.api.Test;

/**
 * With no loss, driving the Bullet Minitaur through the HIL link gives bitwise the frames of
 * driving it in-process with the same seed and commands, including noise and randomisation.
 */
class MinitaurHilParityTest {

    private static final long PERIOD_NS = 10_000_000L;
    private static final long SEED = 20_260_127L;

    private static SimConfig config(long seed) {
        return SimConfig.builder().controlPeriodNs(PERIOD_NS).domainRandomization().seed(seed).build();
    }

    @Test
    void hilRunMatchesTheInProcessRunBitForBit() throws Exception {
        int steps = 300;
        MinitaurSimFactory factory = new MinitaurSimFactory(PERIOD_NS, MinitaurHilParityTest::config);
        try (SimServer server = new SimServer(factory, 8, SEED, false, "127.0.0.1", 0, NanoClock.system())) {
            Thread serving = new Thread(server, "sim-server");
            serving.start();
            MinitaurSim local = MinitaurSim.create(config(SEED));
            local.start();
            RemoteHardware remote = new RemoteHardware("127.0.0.1", server.port(), RobotSpec.minitaur(), PERIOD_NS,
                    5_000_000_000L, NanoClock.system());
            remote.start();
            SensorFrame expected = new SensorFrame(8);
            SensorFrame actual = new SensorFrame(8);
            MotorCommand cmd = new MotorCommand(8);
            cmd.mode = MotorCommand.Mode.POSITION;
            RobotSpec spec = RobotSpec.minitaur();
            local.read(expected);
            remote.read(actual);
            assertSame(expected, actual, 0);
            for (int k = 1; k <= steps; k++) {
                double t = k * PERIOD_NS * 1e-9;
                for (int leg = 0; leg < 4; leg++) {
                    double phase = 2 * Math.PI * 2.0 * t + (leg == 0 || leg == 3 ? 0 : Math.PI);
                    spec.legToMotorAngles(leg, 0.3 * Math.sin(phase), spec.neutralExtensionRad() + 0.35 * Math.cos(phase),
                            cmd.positionRad);
                }
                local.write(cmd);
                remote.write(cmd);
                local.read(expected);
                remote.read(actual);
                assertFalse(remote.lastReadStale(), "stale at step " + k);
                assertSame(expected, actual, k);
            }
            remote.close();
            local.close();
            server.close();
            serving.join(5000);
        }
    }

    private static void assertSame(SensorFrame e, SensorFrame a, int step) {
        String at = "step " + step;
        assertEquals(e.timestampNs, a.timestampNs, at);
        assertEquals(e.sequence, a.sequence, at);
        assertEquals(e.validMask, a.validMask, at);
        for (int i = 0; i < 8; i++) {
            assertEquals(bits(e.motorAngleRad[i]), bits(a.motorAngleRad[i]), at + " angle " + i);
            assertEquals(bits(e.motorVelocityRadPerS[i]), bits(a.motorVelocityRadPerS[i]), at + " velocity " + i);
            assertEquals(bits(e.motorTorqueNm[i]), bits(a.motorTorqueNm[i]), at + " torque " + i);
        }
        double[] ev = {e.rollRad, e.pitchRad, e.yawRad, e.rollRateRadPerS, e.pitchRateRadPerS, e.yawRateRadPerS,
            e.accelXMps2, e.accelYMps2, e.accelZMps2};
        double[] av = {a.rollRad, a.pitchRad, a.yawRad, a.rollRateRadPerS, a.pitchRateRadPerS, a.yawRateRadPerS,
            a.accelXMps2, a.accelYMps2, a.accelZMps2};
        for (int i = 0; i < ev.length; i++) {
            assertEquals(bits(ev[i]), bits(av[i]), at + " imu " + i);
        }
        assertEquals(e.estopPressed, a.estopPressed, at);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }
}
