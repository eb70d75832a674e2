package dev.chromatic.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.app.RobotRuntime;
import dev.chromatic.runtime.command.CommandProcessor;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.FakeStep;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime against a real Mosquitto (password file + ACL) on a free loopback port: telemetry,
 * retained state with last will, commands, a broker restart and a command flood. Skipped with a
 * message where mosquitto is not installed.
 */
class MosquittoRuntimeTest {

    private static final String ROBOT = "r1";
    private static final long PERIOD_NS = 10_000_000L;

    @BeforeAll
    static void needsMosquitto() {
        assumeTrue(MosquittoBroker.available(), "mosquitto not installed");
    }

    private static RobotRuntime runtime(MosquittoBroker broker, AtomicLong loopErrors) throws Exception {
        return runtime(broker, loopErrors, 500);
    }

    private static RobotRuntime runtime(MosquittoBroker broker, AtomicLong loopErrors, long reconnectMs) throws Exception {
        MqttSettings mqtt = new MqttSettings(broker.url(), "chromatic-" + ROBOT, MosquittoBroker.ROBOT_USER,
                MosquittoBroker.ROBOT_PASSWORD.toCharArray(), null, null, 5, 1000, reconnectMs);
        RobotLoop loop = RobotLoop.context().hardware(new StandInHardware(NanoClock.system(), PERIOD_NS))
                .clock(NanoClock.system()).settings(new LoopSettings(PERIOD_NS, 1, 8, false))
                .standUp(StandUpSettings.immediate()).telemetry(4096).build();
        RobotRuntime rt = new RobotRuntime(ROBOT, loop, mqtt, 10);
        rt.control().offerPolicy(new InstalledPolicy(new FakeStep(), "ab".repeat(32), 4, true, PERIOD_NS));
        rt.startTelemetryThread(t -> loopErrors.incrementAndGet());
        rt.startLoopThread(500_000L, 20, -1, t -> loopErrors.incrementAndGet());
        return rt;
    }

    /**
     * A loop that waited on MQTT would miss tens to hundreds of 10 ms periods (Paho's connect and
     * publish timeouts are seconds). A virtual machine's hypervisor can still hold even a real-time
     * thread off for one period now and then (stalls of 10-15 ms measured on the development VM),
     * so up to {@link #SCHEDULER_MISSES} misses are tolerated and printed. Without real-time
     * priority a normally scheduled thread on a loaded machine can lose periods for reasons
     * unrelated to MQTT, so the count is only printed.
     */
    private static final long SCHEDULER_MISSES = 2;

    private static void assertLoopNeverWaitedOnMqtt(RobotRuntime rt, long missedBefore, String when) {
        long missed = rt.control().missedPeriods() - missedBefore;
        if (rt.loop().threadTuning().realtime()) {
            if (missed > 0) {
                System.out.println("NOTE: " + missed + " cycle(s) missed " + when + " (scheduler stalls tolerated: "
                        + SCHEDULER_MISSES + ")");
            }
            assertTrue(missed <= SCHEDULER_MISSES, missed + " cycles missed " + when);
        } else {
            System.out.println("NOTE: no real-time priority for the loop (" + rt.loop().threadTuning().message()
                    + "); " + missed + " cycles missed " + when + ", not asserted");
        }
    }

    @Test
    void telemetryStateAndCommandsFlowThroughARealBroker(@TempDir Path dir) throws Exception {
        AtomicLong errors = new AtomicLong();
        try (MosquittoBroker broker = new MosquittoBroker(dir, ROBOT);
             Observer op = new Observer(broker.url(), ROBOT);
             RobotRuntime rt = runtime(broker, errors)) {
            Observer.await("state online", 5000, () -> op.lastState().contains("\"online\":true"));
            Observer.await("telemetry batches", 5000, () -> op.batches.size() >= 3);
            Observer.Batch b = op.batches.get(op.batches.size() - 1);
            assertEquals(ROBOT, b.robotId());
            assertEquals(8, b.targets());
            assertEquals(b.samples() - 1, b.lastCycle() - b.firstCycle(), "decimation 1: consecutive cycles");
            assertTrue(op.lastState().contains("\"policy_sha256\":\"" + "ab".repeat(32) + "\""), op.lastState());

            long missedBefore = rt.control().missedPeriods();
            op.send("{\"seq\": 1, \"cmd\": \"arm\"}");
            Observer.await("armed in state", 5000, () -> op.lastState().contains("\"armed\":true"));
            op.send("{\"seq\": 1, \"cmd\": \"estop\"}");
            op.send("{\"seq\": 1, \"cmd\": \"estop\"}");
            op.send("{\"seq\": 2, \"cmd\": \"disarm\"}");
            op.send("{\"seq\": 2, \"cmd\": \"disarm\"}");
            op.send("{\"seq\": 3,, \"cmd\": \"arm\"}");
            Observer.await("rejection event", 5000, () -> op.events.stream().anyMatch(e -> e.contains("command_rejected")));
            Observer.await("disarmed", 5000, () -> op.lastState().contains("\"state\":\"disarmed\""));
            assertEquals(SafetyState.DISARMED, rt.safety().state(), "the replayed estop (seq 1) was not applied");
            assertEquals(1, op.events.stream().filter(e -> e.contains("\"event\":\"disarmed\"")).count(),
                    "the duplicate disarm was applied once: " + op.events);
            assertEquals(3, rt.commands().duplicates());
            assertEquals(1, rt.commands().malformed());

            op.send("{\"seq\": 10, \"cmd\": \"estop\"}");
            Observer.await("safe state", 5000, () -> op.lastState().contains("\"safe_reason\":\"estop_command\""));
            assertTrue(op.events.stream().anyMatch(e -> e.contains("\"event\":\"safe_state\"") && e.contains("estop_command")));
            assertLoopNeverWaitedOnMqtt(rt, missedBefore, "while commands came in");
            assertEquals(0, errors.get());
        }
    }

    @Test
    void lastWillMarksTheRobotOfflineWhenItVanishesAndOnlineWhenItReturns(@TempDir Path dir) throws Exception {
        AtomicLong errors = new AtomicLong();
        try (MosquittoBroker broker = new MosquittoBroker(dir, ROBOT);
             Observer op = new Observer(broker.url(), ROBOT)) {
            RobotRuntime rt = runtime(broker, errors);
            Observer.await("state online", 5000, () -> op.lastState().contains("\"online\":true"));
            rt.link().abort();
            Observer.await("last will", 5000, () -> op.lastState().contains("\"online\":false"));
            rt.close();
            try (RobotRuntime again = runtime(broker, errors)) {
                Observer.await("online again", 5000, () -> op.lastState().contains("\"online\":true"));
            }
            Observer.await("clean shutdown publishes offline", 5000, () -> op.lastState().contains("\"online\":false"));
        }
    }

    @Test
    void brokerRestartMissesNoCycleAndTelemetryResumes(@TempDir Path dir) throws Exception {
        AtomicLong errors = new AtomicLong();
        try (MosquittoBroker broker = new MosquittoBroker(dir, ROBOT);
             Observer op = new Observer(broker.url(), ROBOT);
             RobotRuntime rt = runtime(broker, errors, 3000)) {
            // The robot retries every 3 s, so the observer (retrying every 0.5 s) is back first and sees
            // the state the restarted broker kept: the last will it sent on its orderly shutdown.
            Observer.await("telemetry", 5000, () -> op.batches.size() >= 2);
            Observer.await("state online", 5000, () -> op.lastState().contains("\"online\":true"));
            long missedBefore = rt.control().missedPeriods();
            broker.stop(false);
            long cyclesAtStop = rt.control().cycles();
            Thread.sleep(1500);
            assertTrue(rt.control().cycles() - cyclesAtStop >= 100, "the loop kept running without a broker");
            int statesBefore = op.states.size();
            int batchesBefore = op.batches.size();
            broker.start();
            long restartNs = System.nanoTime();
            Observer.await("telemetry after restart", 5000, () -> op.batches.size() > batchesBefore);
            long resumeMs = (op.batches.get(batchesBefore).receivedNs() - restartNs) / 1_000_000L;
            assertTrue(resumeMs <= 5000, "telemetry resumed after " + resumeMs + " ms");
            Observer.await("state online again", 5000, () -> op.states.size() > statesBefore
                    && op.lastState().contains("\"online\":true"));
            List<String> after = op.states.subList(statesBefore, op.states.size());
            assertEquals(2, rt.link().connects(), "the link reconnected once");
            assertTrue(after.get(0).contains("\"online\":false"), "offline first, then online: " + after);
            assertLoopNeverWaitedOnMqtt(rt, missedBefore, "across the broker restart");
            assertEquals(0, errors.get());
            System.out.println("broker restart: telemetry resumed " + resumeMs + " ms after the broker came back; "
                    + "states seen after restart: " + after.size());
        }
    }

    @Test
    void commandFloodIsBoundedAndTheRobotStillObeys(@TempDir Path dir) throws Exception {
        AtomicLong errors = new AtomicLong();
        try (MosquittoBroker broker = new MosquittoBroker(dir, ROBOT);
             Observer op = new Observer(broker.url(), ROBOT);
             RobotRuntime rt = runtime(broker, errors)) {
            Observer.await("state online", 5000, () -> op.lastState().contains("\"online\":true"));
            long cyclesBefore = rt.control().cycles();
            long missedBefore = rt.control().missedPeriods();
            long floodStartNs = System.nanoTime();
            Process flood = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), FloodSender.class.getName(),
                    broker.url(), rt.topics().cmd(), "10000", "10000").redirectErrorStream(true).start();
            String[] out = new String(flood.getInputStream().readAllBytes()).trim().split("\\s+");
            assertTrue(flood.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && flood.exitValue() == 0,
                    "flood sender failed: " + String.join(" ", out));
            int sent = Integer.parseInt(out[0]);
            double floodS = Double.parseDouble(out[1]);
            long seq = Long.parseLong(out[2]);
            Observer.await("flood processed", 10_000, () -> rt.commands().rateLimited() > 0
                    && op.events.stream().anyMatch(e -> e.contains("command_rate_limited")));
            op.send("{\"seq\": " + (seq + 1_000_000) + ", \"cmd\": \"estop\"}");
            Observer.await("estop after the flood", 10_000, () -> rt.safety().state() == SafetyState.SAFE);
            long cycles = rt.control().cycles() - cyclesBefore;
            // A flood costs the loop nothing by design (it never touches MQTT); on a machine loaded far
            // beyond its cores a rare missed period can still come from JVM safepoints, so this test
            // requires the loop to keep pace and reports misses; bench loop measures lateness.
            long expectedCycles = (System.nanoTime() - floodStartNs) / PERIOD_NS;
            long ran = rt.control().cycles() - cyclesBefore;
            assertTrue(ran >= expectedCycles * 95 / 100, "the loop ran " + ran + " of " + expectedCycles + " cycles");
            long missedInFlood = rt.control().missedPeriods() - missedBefore;
            assertEquals(0, errors.get());
            long handled = rt.commands().accepted() + rt.commands().duplicates() + rt.commands().malformed()
                    + rt.commands().mailboxFull();
            assertTrue(handled <= CommandProcessor.DEFAULT_MAX_PER_SECOND * (floodS + 2) + 1,
                    "parsed " + handled + " messages: more than the rate limit allows");
            System.out.printf("flood: %d messages in %.2f s; parsed %d (accepted %d, duplicates %d, malformed %d, "
                            + "queue full %d), rate-limited %d; %d cycles, %d missed%n", sent, floodS, handled,
                    rt.commands().accepted(), rt.commands().duplicates(), rt.commands().malformed(),
                    rt.commands().mailboxFull(), rt.commands().rateLimited(), cycles, missedInFlood);
        }
    }
}
