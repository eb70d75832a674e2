package dev.chromatic.sim.hil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.HilCodec;
import dev.chromatic.hal.remote.RemoteHardware;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDP link end to end on loopback: server, client and an impairing relay between them. */
class HilLinkTest {

    private static final long PERIOD_NS = FakeSimulator.PERIOD_NS;
    private static final long SEED = 42L;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<FakeSimulator> created = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SimulatorFactory recordingFactory() {
        return recordingFactory(PERIOD_NS);
    }

    private SimulatorFactory recordingFactory(long periodNs) {
        return new SimulatorFactory() {
            @Override
            public long controlPeriodNs() {
                return periodNs;
            }

            @Override
            public Hardware create(long seed) {
                FakeSimulator sim = new FakeSimulator(seed, periodNs);
                created.add(sim);
                return sim;
            }
        };
    }

    private SimServer startServer(SimulatorFactory factory, boolean realtime) throws IOException {
        SimServer server = new SimServer(factory, 8, SEED, realtime, "127.0.0.1", 0, NanoClock.system());
        Thread t = new Thread(server, "sim-server-test");
        t.setDaemon(true);
        t.start();
        toClose.add(() -> {
            server.close();
            t.join(2000);
        });
        return server;
    }

    private RemoteHardware client(int port, long responseTimeoutNs) throws HardwareException {
        return client(port, PERIOD_NS, responseTimeoutNs);
    }

    private RemoteHardware client(int port, long periodNs, long responseTimeoutNs) throws HardwareException {
        RemoteHardware hw = new RemoteHardware("127.0.0.1", port, RobotSpec.minitaur(), periodNs,
                responseTimeoutNs, NanoClock.system());
        hw.start();
        toClose.add(hw);
        return hw;
    }

    private static void commandFor(int k, MotorCommand cmd) {
        cmd.mode = MotorCommand.Mode.POSITION;
        for (int i = 0; i < cmd.motorCount; i++) {
            cmd.positionRad[i] = Math.PI / 2 + 0.3 * Math.sin(0.05 * k + i);
        }
    }

    private static void assertSameFrame(SensorFrame expected, SensorFrame actual, int step) {
        String at = "step " + step;
        assertEquals(expected.timestampNs, actual.timestampNs, at);
        assertEquals(expected.sequence, actual.sequence, at);
        assertEquals(expected.validMask, actual.validMask, at);
        assertArrayEquals(expected.motorAngleRad, actual.motorAngleRad, 0.0, at);
        assertArrayEquals(expected.motorVelocityRadPerS, actual.motorVelocityRadPerS, 0.0, at);
        assertArrayEquals(expected.motorTorqueNm, actual.motorTorqueNm, 0.0, at);
        double[] e = {expected.rollRad, expected.pitchRad, expected.yawRad, expected.rollRateRadPerS,
            expected.pitchRateRadPerS, expected.yawRateRadPerS, expected.accelXMps2, expected.accelYMps2,
            expected.accelZMps2};
        double[] a = {actual.rollRad, actual.pitchRad, actual.yawRad, actual.rollRateRadPerS,
            actual.pitchRateRadPerS, actual.yawRateRadPerS, actual.accelXMps2, actual.accelYMps2,
            actual.accelZMps2};
        for (int i = 0; i < e.length; i++) {
            assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), at + " imu field " + i);
        }
        assertEquals(expected.estopPressed, actual.estopPressed, at);
    }

    @Test
    void losslessLockstepRunGivesBitwiseTheSameFramesAsInProcess() throws Exception {
        int steps = 400;
        FakeSimulator local = new FakeSimulator(SEED);
        local.start();
        SensorFrame expected = new SensorFrame(8);
        SensorFrame actual = new SensorFrame(8);
        MotorCommand cmd = new MotorCommand(8);

        SimServer server = startServer(FakeSimulator.factory(), false);
        RemoteHardware remote = client(server.port(), 5_000_000_000L);

        local.read(expected);
        remote.read(actual);
        assertSameFrame(expected, actual, 0);
        for (int k = 1; k <= steps; k++) {
            commandFor(k, cmd);
            local.write(cmd);
            remote.write(cmd);
            local.read(expected);
            remote.read(actual);
            assertFalse(remote.lastReadStale(), "stale at step " + k);
            assertSameFrame(expected, actual, k);
        }
        assertEquals(steps, remote.stats().framesReceived - 1);
        assertEquals(0, remote.stats().staleReads);
    }

    @Test
    void lossyLinkHoldsOneMissingAnswerAndMarksTwoStale() throws Exception {
        // a long period so that only the sequence rule decides staleness, however slow the machine
        long periodNs = 100_000_000L;
        SimServer server = startServer(recordingFactory(periodNs), false);
        ImpairingUdpProxy proxy = new ImpairingUdpProxy(server.port(), 7L, 0.2, 0L, 0.0, 0.0, 0L, 20_000_000_000L);
        toClose.add(proxy);
        RemoteHardware remote = client(proxy.port(), periodNs, 30_000_000L);
        SensorFrame frame = new SensorFrame(8);
        MotorCommand cmd = new MotorCommand(8);
        long fresh = 0;
        long held = 0;
        long stale = 0;
        long lastSequence = -1;
        for (int k = 1; k <= 150; k++) {
            commandFor(k, cmd);
            remote.write(cmd);
            remote.read(frame);
            long unanswered = remote.lastCommandSeq() - remote.latestAnsweredSeq();
            if (unanswered == 0) {
                fresh++;
                assertEquals(SensorFrame.VALID_ALL, frame.validMask, "fresh frame at " + k);
            } else if (unanswered == 1) {
                held++;
                assertEquals(SensorFrame.VALID_ALL, frame.validMask, "held frame at " + k);
            } else {
                stale++;
                assertEquals(0, frame.validMask, "stale frame at " + k);
                assertTrue(remote.lastReadStale());
            }
            assertTrue(frame.sequence >= lastSequence, "frames went backwards at " + k);
            lastSequence = frame.sequence;
        }
        assertTrue(proxy.dropped > 10, "proxy dropped " + proxy.dropped);
        assertTrue(fresh > 50, "fresh " + fresh);
        assertTrue(held > 0, "held " + held);
        assertTrue(stale > 0, "stale " + stale);
        assertEquals(stale, remote.stats().staleReads);
        assertTrue(remote.stats().unansweredCommands > 0, remote.stats().toString());
    }

    @Test
    void duplicatedAndReorderedDatagramsNeverStepTheSimulatorTwice() throws Exception {
        SimServer server = startServer(recordingFactory(), false);
        ImpairingUdpProxy proxy = new ImpairingUdpProxy(server.port(), 11L, 0.0, 0L, 0.3, 0.2, 3_000_000L,
                20_000_000_000L);
        toClose.add(proxy);
        RemoteHardware remote = client(proxy.port(), 5_000_000L);
        SensorFrame frame = new SensorFrame(8);
        MotorCommand cmd = new MotorCommand(8);
        long lastStepSequence = -1;
        for (int k = 1; k <= 200; k++) {
            commandFor(k, cmd);
            remote.write(cmd);
            remote.read(frame);
            assertTrue(frame.sequence >= lastStepSequence, "frames went backwards at " + k);
            lastStepSequence = frame.sequence;
        }
        LockSupport.parkNanos(50_000_000L);
        FakeSimulator sim = created.get(created.size() - 1);
        SimServer.Stats s = server.stats();
        assertTrue(proxy.duplicated > 10 && proxy.reorderedPackets > 10, "proxy did not impair");
        assertTrue(s.duplicates + s.late > 0, s.toString());
        assertTrue(remote.stats().duplicates + remote.stats().reordered > 0, remote.stats().toString());
        assertEquals(s.steps, sim.modes.size());
        assertTrue(s.steps <= 200, "more steps than commands: " + s.steps);
    }

    @Test
    void delayedAnswersAreHeldThenReportedStale() throws Exception {
        SimServer server = startServer(FakeSimulator.factory(), false);
        ImpairingUdpProxy proxy = new ImpairingUdpProxy(server.port(), 3L, 0.0, 4 * PERIOD_NS, 0.0, 0.0, 0L,
                20_000_000_000L);
        toClose.add(proxy);
        RemoteHardware remote = client(proxy.port(), 0L);
        SensorFrame frame = new SensorFrame(8);
        MotorCommand cmd = new MotorCommand(8);
        int staleReads = 0;
        for (int k = 1; k <= 20; k++) {
            commandFor(k, cmd);
            remote.write(cmd);
            LockSupport.parkNanos(PERIOD_NS);
            remote.read(frame);
            if (frame.validMask == 0) {
                staleReads++;
            }
        }
        assertTrue(staleReads >= 10, "stale reads " + staleReads + " of 20 with a 4-period delay");
    }

    @Test
    void aLinkWithinItsRoundTripBudgetDeliversEveryFrameFreshAndOnlyThatOld() throws Exception {
        SimServer server = startServer(FakeSimulator.factory(), false);
        long delayNs = 2 * PERIOD_NS;
        ImpairingUdpProxy proxy = new ImpairingUdpProxy(server.port(), 3L, 0.0, delayNs, 0.0, 0.0, 0L, 20_000_000_000L);
        toClose.add(proxy);
        // The robot judges staleness on its own clock, which this test advances one period per cycle;
        // each cycle waits (wall clock, generously) until the link has answered the command sent
        // `lag` cycles before: the round trip the budget allows. A busy machine then only slows the
        // test down instead of changing what the robot sees.
        ManualNanoClock clock = new ManualNanoClock(0);
        long budgetNs = 2 * delayNs + PERIOD_NS;
        RemoteHardware remote = RemoteHardware.withRoundTripBudget("127.0.0.1", proxy.port(), RobotSpec.minitaur(),
                PERIOD_NS, budgetNs, clock);
        remote.start();
        toClose.add(remote);
        int lag = (int) (2 * delayNs / PERIOD_NS);
        SensorFrame frame = new SensorFrame(8);
        MotorCommand cmd = new MotorCommand(8);
        long framesAtStart = remote.stats().framesReceived;
        int staleCycles = 0;
        int heldCycles = 0;
        for (int k = 1; k <= 60; k++) {
            commandFor(k, cmd);
            remote.write(cmd);
            clock.advance(PERIOD_NS);
            long untilNs = System.nanoTime() + 5_000_000_000L;
            do {
                remote.read(frame);
                if (remote.stats().framesReceived - framesAtStart >= k - lag) {
                    break;
                }
                LockSupport.parkNanos(200_000L);
            } while (System.nanoTime() - untilNs < 0);
            assertTrue(remote.stats().framesReceived - framesAtStart >= k - lag,
                    "cycle " + k + ": the link answered nothing for 5 s: " + remote.stats());
            staleCycles += frame.validMask == 0 ? 1 : 0;
            heldCycles += remote.stats().heldReads > 0 && frame.validMask != 0 ? 1 : 0;
        }
        assertEquals(0, staleCycles, "a " + lag + "-period round trip within a " + budgetNs / PERIOD_NS
                + "-period budget is never stale: " + remote.stats());
        assertTrue(remote.stats().heldReads > 0, "the newest frame answers an older command: " + remote.stats());
        assertTrue(heldCycles > 0);
    }

    @Test
    void realtimeServerHoldsTheLastCommandOnePeriodThenDamps() throws Exception {
        // a long period and a patient client, so a busy machine does not add holds of its own
        long periodNs = 50_000_000L;
        SimServer server = startServer(recordingFactory(periodNs), true);
        RemoteHardware remote = client(server.port(), periodNs, 2_000_000_000L);
        MotorCommand cmd = new MotorCommand(8);
        SensorFrame frame = new SensorFrame(8);
        long startNs = System.nanoTime();
        for (int k = 1; k <= 10; k++) {
            commandFor(k, cmd);
            remote.write(cmd);
            remote.read(frame);
        }
        long elapsedNs = System.nanoTime() - startNs;
        // the simulation may lead the wall clock by one period: step k + 1 not before t0 + (k - 1) * period
        assertTrue(elapsedNs >= 8 * periodNs, "10 realtime steps took only " + elapsedNs + " ns");
        long sequenceAfterCommands = frame.sequence;
        LockSupport.parkNanos(4 * periodNs);
        remote.read(frame);
        assertTrue(frame.sequence > sequenceAfterCommands, "the realtime server keeps stepping without commands");
        server.close();
        LockSupport.parkNanos(20_000_000L);
        List<MotorCommand.Mode> modes = created.get(created.size() - 1).modes;
        assertTrue(modes.size() >= 12, "modes " + modes);
        for (int i = 0; i < 10; i++) {
            assertEquals(MotorCommand.Mode.POSITION, modes.get(i), "command " + i);
        }
        assertEquals(MotorCommand.Mode.POSITION, modes.get(10), "the held step");
        for (int i = 11; i < modes.size(); i++) {
            assertEquals(MotorCommand.Mode.DAMP, modes.get(i), "step " + i + " after the hold: " + modes);
        }
        assertEquals(1, server.stats().holds);
    }

    @Test
    void lockstepStepsOncePerCommandEvenWhenCommandsArriveTogether() throws Exception {
        SimServer server = startServer(recordingFactory(), false);
        HilCodec codec = new HilCodec(8);
        MotorCommand cmd = new MotorCommand(8);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.port());
        try (DatagramChannel raw = DatagramChannel.open()) {
            raw.configureBlocking(false);
            raw.send(codec.encodeHello(77L, PERIOD_NS), to);
            ByteBuffer answer = ByteBuffer.allocate(HilCodec.MAX_DATAGRAM_BYTES);
            receiveWithin(raw, answer);
            for (int seq = 1; seq <= 5; seq++) {
                commandFor(seq, cmd);
                raw.send(codec.encodeCommand(77L, seq, cmd), to);
            }
            long lastSeq = 0;
            for (int i = 0; i < 5; i++) {
                answer.clear();
                receiveWithin(raw, answer);
                answer.flip();
                assertEquals(dev.chromatic.hal.remote.fb.Body.Frame, codec.decode(answer));
                assertEquals(lastSeq + 1, codec.frame().seq(), "frames answer the commands in order");
                lastSeq = codec.frame().seq();
            }
        }
        assertEquals(5, server.stats().steps);
        assertEquals(5, created.get(created.size() - 1).modes.size());
    }

    private static void receiveWithin(DatagramChannel channel, ByteBuffer into) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (channel.receive(into) == null) {
            assertTrue(System.nanoTime() - deadline < 0, "no datagram from the server within 10 s");
            LockSupport.parkNanos(200_000L);
        }
    }

    @Test
    void corruptedDatagramIsCountedAndNotApplied() throws Exception {
        SimServer server = startServer(recordingFactory(), false);
        RemoteHardware remote = client(server.port(), PERIOD_NS);
        HilCodec codec = new HilCodec(8);
        MotorCommand cmd = new MotorCommand(8);
        commandFor(1, cmd);
        ByteBuffer datagram = codec.encodeCommand(123L, 1L, cmd);
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        bytes[bytes.length / 2] ^= 0x08;
        try (DatagramChannel raw = DatagramChannel.open()) {
            raw.send(ByteBuffer.wrap(bytes), new InetSocketAddress("127.0.0.1", server.port()));
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (server.stats().badChecksums == 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000L);
        }
        assertEquals(1, server.stats().badChecksums);
        assertEquals(0, server.stats().steps);
        assertEquals(0, remote.lastCommandSeq());
    }

    @Test
    void refusesAServerWithAnotherControlPeriod() throws Exception {
        SimServer server = startServer(FakeSimulator.factory(), false);
        RemoteHardware remote = new RemoteHardware("127.0.0.1", server.port(), RobotSpec.minitaur(),
                2 * PERIOD_NS, PERIOD_NS, NanoClock.system());
        HardwareException e = assertThrows(HardwareException.class, remote::start);
        assertTrue(e.getMessage().contains("control period"), e.getMessage());
    }
}
