package dev.chromatic.tools.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.ControlAgent;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyCodec;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.stack.DirectStack;
import dev.chromatic.runtime.update.PolicyUpdateService;
import dev.chromatic.runtime.update.PolicyUpdateSettings;
import dev.chromatic.runtime.update.PolicyUpdates;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole robot side in lockstep with the simulator: the real control loop and safety
 * supervisor, the update service with the mailman controller. A policy flashed to the walking robot
 * is staged and installed at the disarm; armed again, it throws the robot over, trips safety inside
 * the health window and is rolled back to the standing one.
 */
class FallingPolicyRollbackTest {

    private static final long PERIOD_NS = 10_000_000L;

    @TempDir
    Path dir;

    /** minitaur-direct policy with zero weights whose output biases set the 8 leg offsets. */
    private static byte[] policy(KeyPair keys, long version, double[] outputBias, double scale) throws Exception {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 3, new int[] {12, 4, DirectStack.ACTION_DIM},
                Activation.TANH, version).toBuilder();
        Arrays.fill(b.sharedWeights, 0.0);
        for (double[] layer : b.biases) {
            Arrays.fill(layer, 0.0);
        }
        b.outputBias = true;
        b.biases[1] = outputBias;
        b.robot = "minitaur";
        b.stack = DirectStack.ID;
        b.task = "test";
        b.controlPeriodNs = PERIOD_NS;
        Arrays.fill(b.actionScale, scale);
        byte[] unsigned = PolicyEnvelope.seal(PolicyCodec.encode(b.build()), 0);
        return PolicyEnvelope.sign(unsigned, keys.getPrivate(), PolicyKeys.keyId(keys.getPublic()), version);
    }

    @Test
    void aPolicyThatThrowsTheRobotOverIsRolledBackToTheStandingOne() throws Exception {
        KeyPair keys = PolicyKeys.generate();
        Path keyDir = Files.createDirectories(dir.resolve("keys"));
        PolicyKeys.savePublic(keyDir.resolve("ops.pub"), keys.getPublic());
        Properties p = new Properties();
        p.setProperty(PolicyUpdateSettings.STORE_DIR, dir.resolve("store").toString());
        p.setProperty(PolicyUpdateSettings.TRUSTED_KEYS_DIR, keyDir.toString());
        p.setProperty(PolicyUpdateSettings.STACK, DirectStack.ID);
        p.setProperty(PolicyUpdateSettings.HEALTH_WINDOW_S, "1");

        SimConfig.Builder sc = SimConfig.builder();
        sc.controlPeriodNs = PERIOD_NS;
        try (MinitaurSim sim = new MinitaurSim(RobotSpec.minitaur(), sc.build())) {
            sim.start();
            RobotLoop loop = RobotLoop.context().hardware(sim).lockstep().settings(new LoopSettings(PERIOD_NS, 10, 4, false))
                    .standUp(StandUpSettings.immediate()).build();
            RobotLoop.Lockstep lockstep = loop.lockstep();
            ControlAgent control = loop.agent();
            SafetySupervisor safety = loop.safety();
            List<String> verdicts = new ArrayList<>();
            PolicyUpdateService service = PolicyUpdates.create(PolicyUpdateSettings.from(p), sim.spec(), PERIOD_NS,
                    control::offerPolicy, verdicts::add, safety::isArmed, lockstep.clock());
            safety.setTripListener(service.health());

            assertTrue(service.submit(policy(keys, 1, new double[8], 0.5)));
            run(lockstep, service, 20);
            assertTrue(verdicts.get(0).contains("\"verdict\":\"accepted\""), verdicts.get(0));
            assertEquals(1, control.policyVersion());
            lockstep.command(CommandKind.ARM);
            run(lockstep, service, 150);
            assertEquals(SafetyState.ARMED, control.safetyState(), "standing policy: " + control.safetyReason());
            assertTrue(verdicts.get(verdicts.size() - 1).contains("\"verdict\":\"kept\""), verdicts.toString());

            // left legs fully extended, right legs fully folded: the robot rolls over
            double[] tilt = {0, 3, 0, 3, 0, -3, 0, -3};
            byte[] falls = policy(keys, 2, tilt, 2.0);
            assertTrue(service.submit(falls));
            run(lockstep, service, 20);
            assertTrue(verdicts.get(verdicts.size() - 1).contains("\"verdict\":\"staged\""), verdicts.toString());
            assertEquals(1, control.policyVersion(), "not swapped under the walking robot");
            assertEquals(SafetyState.ARMED, control.safetyState());
            lockstep.command(CommandKind.DISARM);
            run(lockstep, service, 5);
            assertTrue(verdicts.get(verdicts.size() - 1).contains("\"verdict\":\"accepted\""), verdicts.toString());
            assertEquals(2, control.policyVersion(), "installed at the disarm");
            lockstep.command(CommandKind.ARM);
            int cycles = 0;
            while (cycles < 300 && verdicts.stream().noneMatch(v -> v.contains("rolled_back"))) {
                run(lockstep, service, 1);
                cycles++;
            }
            String last = verdicts.get(verdicts.size() - 1);
            assertTrue(verdicts.stream().anyMatch(v -> v.contains("\"verdict\":\"accepted\"") && v.contains("\"version\":2")),
                    verdicts.toString());
            assertTrue(last.contains("\"verdict\":\"rolled_back\""), verdicts.toString());
            assertTrue(last.contains("roll_limit") || last.contains("pitch_limit"), last);
            assertTrue(last.contains(FlashFiles.sha256Hex(falls)), last);
            run(lockstep, service, 2);
            assertEquals(1, control.policyVersion());
            assertEquals(SafetyState.SAFE, control.safetyState());
            assertTrue(service.stateJson().contains("\"installed_version\":2"), service.stateJson());
            assertTrue(service.stateJson().startsWith("{\"active\":{\"slot\":\"a\""), service.stateJson());
        }
    }

    private static void run(RobotLoop.Lockstep lockstep, PolicyUpdateService service, int cycles) {
        for (int i = 0; i < cycles; i++) {
            lockstep.tick();
            service.doWork();
        }
    }
}
