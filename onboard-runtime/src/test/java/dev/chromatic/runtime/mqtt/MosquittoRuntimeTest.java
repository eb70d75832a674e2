package dev.chromatic.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.app.RobotRuntime;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.FakeStep;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.operator.CounterStore;
import dev.chromatic.runtime.operator.Rejection;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.runtime.operator.TestOperator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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

    private final TestOperator operator = new TestOperator(ROBOT);

    private RobotRuntime runtime(MosquittoBroker broker, AtomicLong loopErrors) throws Exception {
        return runtime(broker, loopErrors, 500);
    }

    private RobotRuntime runtime(MosquittoBroker broker, AtomicLong loopErrors, long reconnectMs) throws Exception {
        MqttSettings mqtt = new MqttSettings(broker.url(), "chromatic-" + ROBOT, MosquittoBroker.ROBOT_USER,
                MosquittoBroker.ROBOT_PASSWORD.toCharArray(), null, null, 5, 1000, reconnectMs);
        RobotLoop loop = RobotLoop.context().hardware(new StandInHardware(NanoClock.system(), PERIOD_NS))
                .clock(NanoClock.system()).settings(new LoopSettings(PERIOD_NS, 1, 8, false))
                .standUp(StandUpSettings.immediate()).telemetry(4096).build();
        RobotRuntime rt = new RobotRuntime(ROBOT, loop, mqtt, 10,
                CommandSettings.of(operator.trust(), CounterStore.inMemory()));
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
            op.send(operator.sign(CommandKind.ARM));
            Observer.await("armed in state", 5000, () -> op.lastState().contains("\"armed\":true"));
            String disarm = operator.sign(CommandKind.DISARM);
            op.send(disarm);
            op.send(disarm);
            op.send("{\"robot\": \"r1\",, \"cmd\": \"arm\"}");
            Observer.await("rejection events", 5000, () -> op.events.stream().filter(e -> e.contains("command_rejected")).count() >= 3);
            Observer.await("disarmed", 5000, () -> op.lastState().contains("\"state\":\"disarmed\""));
            assertEquals(1, op.events.stream().filter(e -> e.contains("\"event\":\"disarmed\"")).count(),
                    "the replayed disarm was applied once: " + op.events);
            assertEquals(1, rt.commands().rejected(Rejection.UNSIGNED));
            assertEquals(1, rt.commands().rejected(Rejection.REPLAY));
            assertEquals(1, rt.commands().rejected(Rejection.MALFORMED));

            op.send("{\"cmd\": \"estop\"}");
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

    /**
     * Runs {@link FloodSender} in its own JVM and returns the JSON object it prints last on its
     * standard output (a JVM may print notes such as "Picked up JAVA_TOOL_OPTIONS" on stderr, which is
     * kept apart and only shown on failure).
     */
    static Map<String, Object> runChild(Class<?> main, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        String stderr = new String(err.get(10, java.util.concurrent.TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertTrue(done && p.exitValue() == 0, main.getSimpleName() + " failed: " + out + stderr);
        String json = null;
        for (String line : out.split("\\R")) {
            if (line.startsWith("{")) {
                json = line;
            }
        }
        assertTrue(json != null, main.getSimpleName() + " printed no JSON result: " + out + stderr);
        return Json.parseObject(json, 4096);
    }

    @Test
    void commandFloodIsBoundedAndTheRobotStillObeys(@TempDir Path dir) throws Exception {
        AtomicLong errors = new AtomicLong();
        try (MosquittoBroker broker = new MosquittoBroker(dir, ROBOT);
             Observer op = new Observer(broker.url(), ROBOT);
             RobotRuntime rt = runtime(broker, errors)) {
            Observer.await("state online", 5000, () -> op.lastState().contains("\"online\":true"));
            op.send(operator.sign(CommandKind.ARM));
            Observer.await("armed", 5000, () -> rt.safety().isArmed());
            AtomicLong latchNs = new AtomicLong();
            rt.safety().setTripListener((why, nowNs, cycle) -> latchNs.compareAndSet(0, nowNs));
            long cyclesBefore = rt.control().cycles();
            long missedBefore = rt.control().missedPeriods();
            long floodStartNs = System.nanoTime();
            Map<String, Object> res = runChild(FloodSender.class, broker.url(), rt.topics().cmd(), "10000", "10000",
                    ROBOT, operator.keyId);
            long sent = (Long) res.get("sent");
            double floodS = ((Number) res.get("seconds")).doubleValue();
            Observer.await("estop in the flood latched", 10_000, () -> rt.safety().state() == SafetyState.SAFE);
            long arrivalNs = rt.commands().lastEstopNs();
            long latencyNs = latchNs.get() - arrivalNs;
            // lockstep proves the next cycle latches (OperatorAttackTest); here a real-time thread on a
            // shared 2-core machine gets one more period of scheduling margin
            assertTrue(latencyNs >= 0 && latencyNs <= 2 * PERIOD_NS, "E-stop latched " + latencyNs / 1e6
                    + " ms after it arrived");
            assertEquals(Reason.ESTOP_COMMAND, rt.safety().reason());
            Observer.await("flood processed", 10_000, () -> rt.commands().rejected(Rejection.RATE_LIMITED) > 0);
            long expectedCycles = (System.nanoTime() - floodStartNs) / PERIOD_NS;
            long ran = rt.control().cycles() - cyclesBefore;
            assertTrue(ran >= expectedCycles * 95 / 100, "the loop ran " + ran + " of " + expectedCycles + " cycles");
            long missedInFlood = rt.control().missedPeriods() - missedBefore;
            assertEquals(0, errors.get());
            assertEquals(0, rt.commands().accepted() - 1, "nothing in the flood was accepted (only the arm before it)");
            long checked = rt.commands().rejected(Rejection.BAD_SIGNATURE);
            assertTrue(checked <= CommandSettings.DEFAULT_MAX_VERIFIES_PER_SECOND * (floodS + 2),
                    checked + " signatures checked: more than the verification cap allows");
            System.out.printf("flood: %d messages in %.2f s; E-stop latched %.2f ms after arrival; rejected: "
                            + "rate-limited %d, malformed %d, unsigned %d, unknown key %d, bad signature %d, queue full %d; "
                            + "%d cycles, %d missed%n", sent, floodS, latencyNs / 1e6,
                    rt.commands().rejected(Rejection.RATE_LIMITED), rt.commands().rejected(Rejection.MALFORMED),
                    rt.commands().rejected(Rejection.UNSIGNED), rt.commands().rejected(Rejection.UNKNOWN_KEY),
                    checked, rt.commands().rejected(Rejection.QUEUE_FULL), ran, missedInFlood);
        }
    }
}
