package dev.chromatic.hal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import org.junit.jupiter.api.Test;

class RemoteHardwareSettingTest {

    @Test
    void parsesHostAndPortOfTheHalSetting() {
        RemoteHardware hw = RemoteHardware.fromSetting("remote:127.0.0.1:7600", RobotSpec.minitaur(), 10_000_000L,
                new ManualNanoClock());
        assertEquals("minitaur", hw.spec().name());
    }

    @Test
    void rejectsMalformedSettingsNamingTheKey() {
        for (String bad : new String[] {"remote:", "remote:host", "remote:host:", "remote:host:x", "device",
            "remote:host:70000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RemoteHardware.fromSetting(bad, RobotSpec.minitaur(), 10_000_000L, new ManualNanoClock()));
            assertTrue(e.getMessage().startsWith("hal:"), e.getMessage());
        }
    }

    @Test
    void readBeforeStartGivesAnInvalidFrameAndWriteIsCounted() {
        RemoteHardware hw = RemoteHardware.fromSetting("remote:127.0.0.1:7600", RobotSpec.minitaur(), 10_000_000L,
                new ManualNanoClock());
        SensorFrame f = new SensorFrame(8);
        f.validMask = SensorFrame.VALID_ALL;
        hw.read(f);
        assertEquals(0, f.validMask);
        hw.write(new MotorCommand(8));
        assertEquals(1, hw.stats().sendErrors);
        hw.close();
    }

    @Test
    void startFailsLoudlyWhenNoServerAnswers() {
        RemoteHardware hw = new RemoteHardware("127.0.0.1", 9, RobotSpec.minitaur(), 10_000_000L, 10_000_000L,
                new ManualNanoClock());
        hw.helloTimeoutNs(300_000_000L);
        HardwareException e = assertThrows(HardwareException.class, hw::start);
        assertTrue(e.getMessage().contains("127.0.0.1:9"), e.getMessage());
    }
}
