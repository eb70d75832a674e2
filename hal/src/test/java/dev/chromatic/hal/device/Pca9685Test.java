package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.HardwareException;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pca9685Test {

    @Test
    void prescaleForServoRateFollowsTheDatasheet() {
        assertEquals(121, Pca9685.prescaleFor(25_000_000, 50));
        assertEquals(3, Pca9685.prescaleFor(25_000_000, 1526));
        assertEquals(255, Pca9685.prescaleFor(25_000_000, 23.84));
        assertThrows(IllegalArgumentException.class, () -> Pca9685.prescaleFor(25_000_000, 2000));
        assertThrows(IllegalArgumentException.class, () -> Pca9685.prescaleFor(25_000_000, 10));
    }

    @Test
    void oscillatorCalibrationCorrectsPrescaleAndPulseLength() {
        double hz = Pca9685.calibratedOscillatorHz(25_000_000, 1500, 1530);
        assertEquals(25_000_000 * 1500.0 / 1530.0, hz, 1e-6);
        assertEquals(119, Pca9685.prescaleFor(hz, 50));
    }

    @Test
    void freshChipIsConfiguredInSleepAndWokenWithoutRestart() throws HardwareException {
        FakePca9685 chip = new FakePca9685();
        Pca9685 pca = new Pca9685(chip, 25_000_000, 0, 8);
        pca.start(50, chip.pause());
        assertEquals(List.of("W 01 04", "W 00 11", "W fe 79", "W 00 21", "P 500000", "W fa 00 00 00 10"), chip.writes());
        assertEquals(121, chip.registers[Pca9685.PRE_SCALE]);
        assertEquals(0, chip.ignoredPrescaleWrites);
        assertFalse(chip.asleep());
        for (int ch = 0; ch < 16; ch++) {
            assertEquals(-1, chip.offTicks(ch), "channel " + ch + " must start fully off");
        }
    }

    @Test
    void chipLeftRunningIsPutToSleepForThePrescaleAndRestartedAfterTheOscillatorStarts() throws HardwareException {
        FakePca9685 chip = new FakePca9685();
        chip.runningWithChannel(3, 300);
        Pca9685 pca = new Pca9685(chip, 25_000_000, 0, 8);
        pca.start(50, chip.pause());
        assertEquals(List.of("W 01 04", "W 00 31", "W fe 79", "W 00 21", "P 500000", "W 00 a1", "W fa 00 00 00 10"),
                chip.writes());
        assertEquals(121, chip.registers[Pca9685.PRE_SCALE]);
        assertEquals(1, chip.restarts);
        assertFalse(chip.restartTooEarly);
        assertEquals(0x21, chip.registers[Pca9685.MODE1]);
    }

    @Test
    void fakeChipIgnoresPrescaleWhileAwakeSoTheOrderIsChecked() {
        FakePca9685 chip = new FakePca9685();
        chip.runningWithChannel(0, 300);
        chip.write(Pca9685.PRE_SCALE, new byte[] {121}, 0, 1);
        assertEquals(1, chip.ignoredPrescaleWrites);
        assertEquals(0x1E, chip.registers[Pca9685.PRE_SCALE]);
    }

    @Test
    void pulsesOfAllChannelsGoOutInOneBurstWithExactTicks() throws HardwareException {
        FakePca9685 chip = new FakePca9685();
        Pca9685 pca = new Pca9685(chip, 25_000_000, 4, 8);
        pca.start(50, chip.pause());
        chip.log.clear();
        double[] pulses = {1500, 1000, 2000, -1, 500, 2500, 1234.5, 1500};
        assertTrue(pca.writePulses(pulses));
        assertEquals(1, chip.log.size());
        // tick = (121 + 1) / 25 MHz = 4.88 us: 1500 us -> 307 = 0x133, 1000 -> 205 = 0xcd, 2000 -> 410 = 0x19a,
        // 500 -> 102 = 0x66, 2500 -> 512 = 0x200, 1234.5 -> 253 = 0xfd
        assertEquals("W 16 00 00 33 01 00 00 cd 00 00 00 9a 01 00 00 00 10 00 00 66 00 00 00 00 02"
                + " 00 00 fd 00 00 00 33 01", chip.log.get(0));
        assertEquals(307, chip.offTicks(4));
        assertEquals(-1, chip.offTicks(7));
        assertEquals(307, chip.offTicks(11));
        assertEquals(-1, chip.offTicks(0), "channels outside the servo block stay untouched");
    }

    @Test
    void busErrorIsReportedNotThrown() throws HardwareException {
        FakePca9685 chip = new FakePca9685();
        Pca9685 pca = new Pca9685(chip, 25_000_000, 0, 8);
        pca.start(50, chip.pause());
        chip.failNextWrites = 1;
        assertFalse(pca.writePulses(new double[8]));
        assertTrue(pca.writePulses(new double[8]));
    }

    @Test
    void silentChipFailsStartNamingItsAddress() {
        FakePca9685 chip = new FakePca9685();
        chip.failNextWrites = 10;
        Pca9685 pca = new Pca9685(chip, 25_000_000, 0, 8);
        HardwareException e = assertThrows(HardwareException.class, () -> pca.start(50, chip.pause()));
        assertTrue(e.getMessage().contains("0x40"), e.getMessage());
    }
}
