package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.stack.ControllerStack;
import dev.chromatic.runtime.stack.ControllerStacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production wiring: settings, trusted keys from a folder, the mailman controller of a real stack. */
class PolicyUpdatesTest {

    private static final long PERIOD_NS = 6_000_000L;

    @TempDir
    Path dir;

    private Properties settings(Path keys) {
        Properties p = new Properties();
        p.setProperty(PolicyUpdateSettings.STORE_DIR, dir.resolve("store").toString());
        p.setProperty(PolicyUpdateSettings.TRUSTED_KEYS_DIR, keys.toString());
        p.setProperty(PolicyUpdateSettings.STACK, "minitaur-pmtg");
        p.setProperty(PolicyUpdateSettings.HEALTH_WINDOW_S, "2.5");
        return p;
    }

    @Test
    void acceptsAPolicyForTheConfiguredStackAndRunsItThroughTheMailmanController() throws Exception {
        KeyPair keys = PolicyKeys.generate();
        Path keyDir = Files.createDirectories(dir.resolve("keys"));
        PolicyKeys.savePublic(keyDir.resolve("ops.pub"), keys.getPublic());
        RobotSpec spec = RobotSpec.minitaur();
        List<InstalledPolicy> offered = new ArrayList<>();
        List<String> events = new ArrayList<>();
        PolicyUpdateSettings s = PolicyUpdateSettings.from(settings(keyDir));
        assertEquals(2_500_000_000L, s.healthWindowNs());
        PolicyUpdateService service = PolicyUpdates.create(s, spec, PERIOD_NS, offered::add, events::add,
                () -> false, new ManualNanoClock());

        ControllerStack stack = ControllerStacks.create("minitaur-pmtg", spec, PERIOD_NS);
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17,
                new int[] {stack.observationDim(), 8, stack.actionDim()}, Activation.TANH, 3).toBuilder();
        b.robot = spec.name();
        b.stack = stack.id();
        b.task = "minitaur-walk";
        b.controlPeriodNs = PERIOD_NS;
        assertTrue(service.submit(SignedPolicies.sign(b.build(), keys, 1)));
        service.doWork();
        assertTrue(events.get(0).contains("\"verdict\":\"accepted\""), events.get(0));
        assertTrue(offered.get(0).step() instanceof Controller);

        b.stack = "minitaur-direct";
        assertTrue(service.submit(SignedPolicies.sign(b.build(), keys, 2)));
        service.doWork();
        assertTrue(events.get(1).contains("\"field\":\"stack\""), events.get(1));
    }

    @Test
    void badSettingsNameTheirKey() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        IllegalArgumentException noKeys = assertThrows(IllegalArgumentException.class, () -> PolicyUpdates.create(
                PolicyUpdateSettings.from(settings(empty)), RobotSpec.minitaur(), PERIOD_NS, p -> { }, e -> { },
                () -> true, new ManualNanoClock()));
        assertTrue(noKeys.getMessage().startsWith(PolicyUpdateSettings.TRUSTED_KEYS_DIR), noKeys.getMessage());

        Properties p = settings(empty);
        p.setProperty(PolicyUpdateSettings.HEALTH_WINDOW_S, "soon");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyUpdateSettings.from(p)).getMessage()
                .startsWith(PolicyUpdateSettings.HEALTH_WINDOW_S));
        p.remove(PolicyUpdateSettings.STORE_DIR);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyUpdateSettings.from(p)).getMessage()
                .startsWith(PolicyUpdateSettings.STORE_DIR));

        KeyPair keys = PolicyKeys.generate();
        Path keyDir = Files.createDirectories(dir.resolve("k2"));
        PolicyKeys.savePublic(keyDir.resolve("ops.pub"), keys.getPublic());
        Properties q = settings(keyDir);
        q.setProperty(PolicyUpdateSettings.STACK, "hexapod");
        IllegalArgumentException stack = assertThrows(IllegalArgumentException.class, () -> PolicyUpdates.create(
                PolicyUpdateSettings.from(q), RobotSpec.minitaur(), PERIOD_NS, x -> { }, e -> { }, () -> true,
                new ManualNanoClock()));
        assertTrue(stack.getMessage().startsWith(PolicyUpdateSettings.STACK), stack.getMessage());
    }
}
