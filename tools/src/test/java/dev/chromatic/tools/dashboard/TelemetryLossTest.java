package dev.chromatic.tools.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Lost JSON telemetry from the gaps in the robot's evenly spaced timestamps. */
class TelemetryLossTest {

    @Test
    void countsTheSlotsOfAGap() {
        TelemetryLoss loss = new TelemetryLoss();
        double t = 100;
        for (int i = 0; i < 20; i++) {
            loss.add(t += 0.05);
        }
        loss.add(t += 0.15);
        assertEquals(2, loss.missed(), "a gap of three spacings: two messages missing");
        assertEquals(21, loss.received());
    }

    @Test
    void aLateMessageAndItsCatchUpLoseNothing() {
        TelemetryLoss loss = new TelemetryLoss();
        double t = 100;
        for (int i = 0; i < 20; i++) {
            loss.add(t += 0.05 + (i % 2 == 0 ? 0.002 : -0.002));
        }
        // measured on the stand-in robot after an overrun: 84.6 ms late, then 10.2 ms to catch up
        loss.add(t += 0.0846);
        loss.add(t += 0.0102);
        for (int i = 0; i < 70; i++) {
            loss.add(t += 0.05);
        }
        assertEquals(0, loss.missed());
    }

    @Test
    void aRestartedRobotStartsOver() {
        TelemetryLoss loss = new TelemetryLoss();
        double t = 5000;
        for (int i = 0; i < 20; i++) {
            loss.add(t += 0.05);
        }
        t = 3;
        for (int i = 0; i < 20; i++) {
            loss.add(t += 0.05);
        }
        loss.add(Double.NaN);
        assertEquals(0, loss.missed());
        assertEquals(41, loss.received());
    }
}
