package dev.chromatic.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.tools.testing.Cli;
import dev.chromatic.trainer.PolicyEvaluation;
import dev.chromatic.trainer.rollout.EnvOptions;
import dev.chromatic.trainer.rollout.MinitaurTrainingEnv;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SolverBenchCommandTest {

    private static final Path SHIPPED = Path.of("").toAbsolutePath().getParent().resolve("policies")
            .resolve("minitaur-pmtg.cpol");

    @Test
    @SuppressWarnings("unchecked")
    void everySettingIsComparedWithTheReferenceAndTheDefaultRowIsThePolicysOwnEnvironment() throws Exception {
        Cli.Run r = Cli.run("bench", "solver", "--seconds", "0.5", "--rounds", "1", "--cpu-steps", "20",
                "--policy", SHIPPED.toString(), "--episodes", "1", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> out = Json.parseObject(r.out().trim(), 1 << 20);
        List<Object> rows = (List<Object>) out.get("settings");
        assertEquals(SolverBenchCommand.SETTINGS.size(), rows.size());
        Map<String, Object> def = (Map<String, Object>) rows.get(0);
        Map<String, Object> ref = (Map<String, Object>) rows.get(rows.size() - 1);
        assertEquals("default", def.get("name"));
        assertEquals(10.0, ((Number) def.get("solver_iterations")).doubleValue());
        assertEquals(SolverBenchCommand.REFERENCE_ITERATIONS, ((Number) ref.get("solver_iterations")).intValue());
        assertEquals(0.0, ((Number) ref.get("position_error_max_m")).doubleValue(), "the reference against itself");
        for (Object o : rows) {
            Map<String, Object> row = (Map<String, Object>) o;
            double cpu = ((Number) row.get("cpu_us_per_substep")).doubleValue();
            assertTrue(cpu > 0 && Double.isFinite(cpu), row.toString());
            double walk = ((Number) row.get("distance_m")).doubleValue();
            assertTrue(walk > 0.0, "the trot walks forward under every setting: " + row);
            if (row != ref) {
                assertTrue(((Number) row.get("position_error_max_m")).doubleValue() > 0.0,
                        row.get("name") + " gave the reference's trajectory: the setting did not reach the solver");
            }
        }
        // the default row evaluates the policy exactly as `chromatic eval` does
        Policy policy = PolicySidecar.loadWithMetadata(SHIPPED);
        PolicyEvaluation.Report own = PolicyEvaluation.run(policy, MinitaurTrainingEnv.envFor(policy.robot(), policy.stack()),
                EnvOptions.forPolicy(policy, null, null), 1, PolicyEvaluation.DEFAULT_SEED, 0);
        assertEquals(own.floating.meanReward, ((Number) def.get("policy_reward")).doubleValue(), 0.0);
        assertEquals(own.fixed.meanReward, ((Number) def.get("policy_reward_fixed")).doubleValue(), 0.0);
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        Cli.Run r = Cli.run("bench", "solver", "--seconds", "0", "--json");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--seconds"), r.err());
        Cli.Run e = Cli.run("bench", "solver", "--episodes", "0", "--json");
        assertEquals(2, e.exit());
        assertTrue(e.err().contains("--episodes"), e.err());
    }
}
