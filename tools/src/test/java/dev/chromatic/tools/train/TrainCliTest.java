package dev.chromatic.tools.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyEncoding;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.tools.Main;
import dev.chromatic.trainer.Presets;
import dev.chromatic.trainer.rollout.TrainingEnvs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

class TrainCliTest {

    private static String stdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void badSettingsExitTwoNamingTheOption(@TempDir Path dir) {
        assertEquals(2, Main.run("train", "--colors", "0", "--out", dir.resolve("p.cpol").toString()));
        assertEquals(2, Main.run("train", "--env", "moon-walk", "--out", dir.resolve("p.cpol").toString()));
        assertEquals(2, Main.run("eval", "--policy", dir.resolve("missing.cpol").toString()));
    }

    @Test
    void trainsThenEvaluatesWithOneJsonObjectEach(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p.cpol");
        int[] code = new int[1];
        String json = stdout(() -> code[0] = Main.run("train", "--env", "pendulum", "--hidden", "4", "--colors", "3",
                "--iterations", "2", "--perturbations", "2", "--exact", "1", "--max-steps", "20",
                "--eval-episodes", "1", "--out", out.toString(), "--json"));
        assertEquals(0, code[0]);
        assertTrue(json.trim().startsWith("{") && json.trim().endsWith("}"), json);
        for (String key : new String[] {"env", "structure", "reward", "best_reward", "iterations", "seconds", "weight_params", "out"}) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing in " + json);
        }
        assertTrue(Files.exists(out) && Files.exists(dir.resolve("p.csv")) && Files.exists(dir.resolve("p.png")));
        String eval = stdout(() -> code[0] = Main.run("eval", "--policy", out.toString(), "--episodes", "1", "--json"));
        assertEquals(0, code[0]);
        for (String key : new String[] {"reward_float", "reward_fixed", "distance_m", "fell", "steps"}) {
            assertTrue(eval.contains("\"" + key + "\":"), key + " missing in " + eval);
        }
    }

    @Test
    void thePresetOfTheEnvFillsOnlyTheOptionsNotGivenAndTheFileRecordsAnExplicitCommand(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p.cpol");
        int[] code = new int[1];
        // classic preset (pendulum): evolution, raw, shared pairs, sgd 0.02, 3000 iterations, 50 episodes, 100 candidates;
        // the command line's --iterations, --lr and --eval-episodes win
        String json = stdout(() -> code[0] = Main.run("train", "--env", "pendulum", "--hidden", "4", "--colors", "3",
                "--iterations", "2", "--perturbations", "2", "--exact", "1", "--max-steps", "20", "--lr", "0.05",
                "--eval-episodes", "1", "--out", out.toString(), "--json"));
        assertEquals(0, code[0]);
        assertTrue(json.contains("\"preset\":\"classic\"") && json.contains("\"iterations\":2"), json);
        Map<String, String> meta = PolicyFiles.load(Files.readAllBytes(out), TrustedKeys.none(), false).policy().metadata();
        assertEquals("classic", meta.get("preset"));
        String command = meta.get("command");
        for (String part : new String[] {"--preset none", "--controller evolution", "--controller-reward raw", "--shared-pair-partitions",
                "--optimizer sgd", "--lr 0.05", "--iterations 2", "--eval-episodes 1", "--candidates 100"}) {
            assertTrue(command.contains(part), part + " missing in " + command);
        }
        // --preset none: the plain defaults (lstm, rmax, adam 0.01); an explicit false beats a preset's true
        Path plain = dir.resolve("n.cpol");
        assertEquals(0, Main.run("train", "--env", "pendulum", "--preset", "none", "--hidden", "4", "--colors", "3",
                "--iterations", "1", "--perturbations", "2", "--exact", "1", "--max-steps", "20", "--eval-episodes", "1",
                "--out", plain.toString(), "--quiet"));
        String plainCommand = PolicyFiles.load(Files.readAllBytes(plain), TrustedKeys.none(), false).policy().metadata().get("command");
        assertTrue(plainCommand.contains("--controller lstm") && plainCommand.contains("--optimizer adam")
                && plainCommand.contains("--controller-reward rmax"), plainCommand);
        Path noShare = dir.resolve("s.cpol");
        assertEquals(0, Main.run("train", "--env", "pendulum", "--shared-pair-partitions=false", "--hidden", "4", "--colors", "3",
                "--iterations", "1", "--perturbations", "2", "--exact", "1", "--max-steps", "20", "--eval-episodes", "1",
                "--out", noShare.toString(), "--quiet"));
        String noShareCommand = PolicyFiles.load(Files.readAllBytes(noShare), TrustedKeys.none(), false).policy().metadata().get("command");
        assertTrue(!noShareCommand.contains("--shared-pair-partitions") && noShareCommand.contains("--controller evolution"), noShareCommand);
        assertEquals(2, Main.run("train", "--env", "pendulum", "--preset", "fast", "--out", dir.resolve("x.cpol").toString()));
    }

    @Test
    void everyEnvGetsItsPresetAndEveryPresetSetsOnlyOptionsThatExist() {
        for (String env : TrainingEnvs.ids()) {
            TrainCommand cmd = new TrainCommand();
            new CommandLine(cmd).parseArgs("--env", env, "--out", "x.cpol");
            Integer iterations = cmd.options.applyPreset("--iterations");
            assertEquals(Presets.forEnv(env), cmd.options.preset(), env);
            if (env.startsWith("minitaur") || env.equals("halfcheetah")) {
                assertEquals("evolution", cmd.options.controller, env);
                assertEquals(8, cmd.options.perturbations, env);
                assertEquals(4, cmd.options.exact, env);
                assertEquals(0.1, cmd.options.initScale, env);
                assertEquals(env.equals("halfcheetah") ? 30 : 60, iterations, env);
                assertFalse(cmd.options.sharedPairPartitions, env);
            } else {
                assertEquals(3000, iterations, env);
                assertEquals("sgd", cmd.options.optimizer, env);
            }
        }
        TrainCommand given = new TrainCommand();
        new CommandLine(given).parseArgs("--env", "halfcheetah", "--preset", "classic", "--exact", "2", "--out", "x.cpol");
        given.options.applyPreset("--iterations");
        assertEquals("classic", given.options.preset());
        assertEquals(2, given.options.exact);
        assertEquals(0.02, given.options.lr);
    }

    @Test
    void writesACompactFileWithItsSidecarOrAFullOneThatCompactsWithoutChange(@TempDir Path dir) throws Exception {
        String[] train = {"train", "--env", "pendulum", "--hidden", "4", "--colors", "3", "--iterations", "1",
                "--perturbations", "2", "--exact", "1", "--max-steps", "20", "--eval-episodes", "1", "--json"};
        Path compact = dir.resolve("c.cpol");
        int[] code = new int[1];
        String json = stdout(() -> code[0] = Main.run(concat(train, "--format", "compact", "--out", compact.toString())));
        assertEquals(0, code[0]);
        assertTrue(json.contains("\"format\":\"compact\""), json);
        LoadedPolicy c = PolicyFiles.load(Files.readAllBytes(compact), TrustedKeys.none(), false);
        assertEquals(PolicyEncoding.COMPACT, c.encoding());
        PolicySidecar sidecar = PolicySidecar.readNextTo(compact);
        assertTrue(sidecar.describes(Files.readAllBytes(compact)));
        assertTrue(sidecar.metadata().get("command").contains("--format compact"), sidecar.metadata().toString());
        assertTrue(sidecar.metadata().containsKey("eval_reward_fixed"), sidecar.metadata().toString());

        // the same run written full holds the same float32 numbers: compacting it changes none
        Path full = dir.resolve("f.cpol");
        stdout(() -> code[0] = Main.run(concat(train, "--out", full.toString())));
        assertEquals(0, code[0]);
        Policy f = PolicyFiles.load(Files.readAllBytes(full), TrustedKeys.none(), false).policy();
        assertTrue(dev.chromatic.runtime.policy.CompactPolicyCodec.holdsFloat32(f));
        assertArrayEquals(f.sharedWeights(), c.policy().sharedWeights());
        String report = stdout(() -> code[0] = Main.run("policy", "compact", full.toString(), dir.resolve("fc.cpol").toString()));
        assertEquals(0, code[0]);
        assertTrue(report.contains("numbers was a float32 already"), report);
        assertEquals(2, Main.run(concat(train, "--format", "tiny", "--out", dir.resolve("x.cpol").toString())));
    }

    @Test
    void evalOfACompactFileRunsWithTheOptionsItsSidecarRecords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("walk.cpol");
        int[] code = new int[1];
        stdout(() -> code[0] = Main.run("train", "--env", "minitaur-pmtg", "--hidden", "4", "--colors", "3",
                "--iterations", "1", "--perturbations", "1", "--exact", "1", "--max-steps", "30", "--eval-episodes", "1",
                "--start", "standing", "--randomize", "none", "--format", "compact", "--out", out.toString(), "--json"));
        assertEquals(0, code[0]);
        double recorded = Double.parseDouble(PolicySidecar.readNextTo(out).metadata().get("eval_reward"));
        String eval = stdout(() -> code[0] = Main.run("eval", "--policy", out.toString(), "--episodes", "1",
                "--max-steps", "30", "--json"));
        assertEquals(0, code[0]);
        assertEquals(recorded, Double.parseDouble(field(eval, "reward_float")), 0.0, eval);
        // without the sidecar eval falls back to the default options (robot starts, randomised)
        Files.delete(PolicySidecar.pathOf(out));
        String bare = stdout(() -> Main.run("eval", "--policy", out.toString(), "--episodes", "1", "--max-steps", "30", "--json"));
        assertTrue(recorded != Double.parseDouble(field(bare, "reward_float")), bare);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void evalRecordsTheTrainingOptionsAndReproducesTheFilesEvalReward(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("walk.cpol");
        int[] code = new int[1];
        stdout(() -> code[0] = Main.run("train", "--env", "minitaur-pmtg", "--hidden", "4", "--colors", "3",
                "--iterations", "1", "--perturbations", "1", "--exact", "1", "--max-steps", "30",
                "--eval-episodes", "1", "--randomize", "default", "--out", out.toString(), "--json"));
        assertEquals(0, code[0]);
        Policy p = PolicyFiles.load(Files.readAllBytes(out), TrustedKeys.none(), false).policy();
        assertTrue(p.metadata().get("env_options").contains("randomize=default"), p.metadata().toString());
        String eval = stdout(() -> code[0] = Main.run("eval", "--policy", out.toString(), "--episodes", "1",
                "--max-steps", "30", "--json"));
        assertEquals(0, code[0]);
        double recorded = Double.parseDouble(p.metadata().get("eval_reward"));
        assertEquals(recorded, Double.parseDouble(field(eval, "reward_float")), 0.0,
                "the file's eval_reward is what eval prints: " + eval);

        Path tuned = dir.resolve("tuned.cpol");
        stdout(() -> code[0] = Main.run("train", "--env", "minitaur-pmtg", "--hidden", "4", "--colors", "3",
                "--iterations", "1", "--perturbations", "1", "--exact", "1", "--max-steps", "30",
                "--eval-episodes", "1", "--init-from", out.toString(), "--out", tuned.toString(), "--json"));
        assertEquals(0, code[0]);
        Map<String, String> meta = PolicyFiles.load(Files.readAllBytes(tuned), TrustedKeys.none(), false).policy().metadata();
        String command = meta.get("command");
        for (String option : new String[] {"--eval-episodes 1", "--max-steps 30", "--start robot", "--randomize default",
                "--init-from " + out}) {
            assertTrue(command.contains(option), "the recorded command lacks " + option + ": " + command);
        }
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out))),
                meta.get("init_from_sha256"));
    }

    @Test
    void robustnessPrintsOneJsonObjectWithTheBenchmarkKeys(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("walk.cpol");
        int[] code = new int[1];
        stdout(() -> code[0] = Main.run("train", "--env", "minitaur-pmtg", "--hidden", "4", "--colors", "3",
                "--iterations", "1", "--perturbations", "1", "--exact", "1", "--max-steps", "20",
                "--eval-episodes", "1", "--out", out.toString(), "--json"));
        assertEquals(0, code[0]);
        String json = stdout(() -> code[0] = Main.run("eval", "--policy", out.toString(), "--robustness", "3",
                "--max-steps", "20", "--threads", "2", "--json"));
        assertEquals(0, code[0]);
        for (String key : new String[] {"episodes", "falls", "fall_rate", "distance_m", "speed_mps", "safety_trips",
                "reward_float", "reward_fixed", "arm_refused", "arm_refused_reasons", "rest_wait_s", "settle_wait_s"}) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing in " + json);
        }
        assertTrue(json.contains("\"p10\":"), json);
        String oneThread = stdout(() -> Main.run("eval", "--policy", out.toString(), "--robustness", "3",
                "--max-steps", "20", "--threads", "1", "--json"));
        assertEquals(json, oneThread, "the figures do not depend on the thread count");
        assertEquals(2, Main.run("eval", "--policy", out.toString(), "--robustness", "0"));
        assertEquals(2, Main.run("eval", "--policy", out.toString(), "--randomize", dir.resolve("nope").toString()));
    }

    private static String field(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":([^,}]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return m.group(1);
    }
}
