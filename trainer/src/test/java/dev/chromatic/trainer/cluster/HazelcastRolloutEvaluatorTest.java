package dev.chromatic.trainer.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.trainer.TrainConfig;
import dev.chromatic.trainer.Trainer;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.RolloutResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HazelcastRolloutEvaluatorTest {

    private static TrainConfig small() {
        TrainConfig c = new TrainConfig();
        c.env = "pendulum";
        c.structure = "chromatic";
        c.controller = "lstm";
        c.colors = 5;
        c.hidden = new int[] {6};
        c.perturbations = 4;
        c.exact = 2;
        c.iterations = 4;
        c.maxSteps = 40;
        c.controllerPhase = 2;
        c.evalEpisodes = 2;
        c.checkpointEvery = 0;
        c.threads = 1;
        return c;
    }

    private static Trainer train(HazelcastRolloutEvaluator evaluator) throws Exception {
        ParallelFor parallel = new ParallelFor(1);
        Trainer t = new Trainer(small(), evaluator, parallel, () -> 0L);
        t.runUntil(small().iterations, null, null);
        return t;
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    @Test
    @Timeout(120)
    void sameSeedOnOneAndThreeMembersTrainsTheSamePolicyBitForBit() throws Exception {
        LoopbackCluster alone = new LoopbackCluster(1);
        Trainer one;
        Policy onePolicy;
        try (ClusterMember coordinator = alone.start(0, 1);
             HazelcastRolloutEvaluator e = new HazelcastRolloutEvaluator(coordinator, 1, System::nanoTime)) {
            one = train(e);
            onePolicy = one.finish(null).policy;
            assertEquals(1, e.lastReport().chunksByMember.size());
        }
        LoopbackCluster three = new LoopbackCluster(3);
        try (ClusterMember coordinator = three.start(0, 1);
             ClusterMember w1 = three.start(1, 1);
             ClusterMember w2 = three.start(2, 1);
             HazelcastRolloutEvaluator e = new HazelcastRolloutEvaluator(coordinator, 1, System::nanoTime)) {
            Trainer t = train(e);
            int used = 0;
            for (int chunks : e.lastReport().chunksByMember.values()) {
                used += chunks > 0 ? 1 : 0;
            }
            assertEquals(3, used, "every member ran rollouts");
            assertArrayEquals(bits(one.theta()), bits(t.theta()));
            Policy p = t.finish(null).policy;
            assertArrayEquals(bits(onePolicy.sharedWeights()), bits(p.sharedWeights()));
            assertArrayEquals(onePolicy.edgeColors(0), p.edgeColors(0));
            assertArrayEquals(bits(onePolicy.obsStd()), bits(p.obsStd()));
        }
    }

    /** Three members in three JVMs: this one (the trainer, also running rollouts) and two children. */
    @Test
    @Timeout(150)
    void workerKilledMidIterationHasItsChunksReassignedAndTheResultIsUnchanged() throws Exception {
        Rollouts r = new Rollouts(30, 200);
        List<RolloutResult> expected = r.local();
        LoopbackCluster cluster = new LoopbackCluster(3);
        List<Process> children = new ArrayList<>();
        List<UUID> uuids = new ArrayList<>();
        try (ClusterMember coordinator = cluster.start(0, 1)) {
            for (int i = 1; i <= 2; i++) {
                children.add(new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath(), WorkerProcess.class.getName(),
                        cluster.name, Integer.toString(cluster.ports.get(i)), "1", cluster.joinList())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            for (Process p : children) {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                assertTrue(line != null && line.startsWith("ready "), "worker started: " + line);
                uuids.add(UUID.fromString(line.substring(6)));
            }
            try (HazelcastRolloutEvaluator e = new HazelcastRolloutEvaluator(coordinator, 2, System::nanoTime)) {
                UUID[] killed = new UUID[1];
                e.setChunkListener((member, chunk) -> {
                    if (killed[0] == null && uuids.contains(member)) {
                        killed[0] = member;
                        children.get(uuids.indexOf(member)).destroyForcibly();
                    }
                });
                List<RolloutResult> got = e.evaluate(r.broadcast, r.specs);
                assertTrue(Rollouts.same(expected, got), "results equal the in-process ones");
                assertTrue(e.lastReport().reassigned >= 1, "a chunk of the killed worker ran elsewhere");
                assertEquals(3, e.lastReport().chunksByMember.size());
                assertFalse(e.workers().stream().anyMatch(m -> m.getUuid().equals(killed[0])));
            }
        } finally {
            for (Process p : children) {
                p.getOutputStream().close();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    @Test
    @Timeout(120)
    void memberJoiningMidIterationIsUsedFromTheNextOne() throws Exception {
        Rollouts r = new Rollouts(10, 40);
        List<RolloutResult> expected = r.local();
        LoopbackCluster cluster = new LoopbackCluster(2);
        ClusterMember[] joiner = new ClusterMember[1];
        try (ClusterMember coordinator = cluster.start(0, 1);
             HazelcastRolloutEvaluator e = new HazelcastRolloutEvaluator(coordinator, 1, System::nanoTime)) {
            e.setChunkListener((member, chunk) -> {
                if (joiner[0] == null) {
                    joiner[0] = cluster.start(1, 1);
                }
            });
            assertTrue(Rollouts.same(expected, e.evaluate(r.broadcast, r.specs)));
            assertEquals(2, e.workers().size(), "the new member joined during the iteration");
            assertEquals(1, e.lastReport().chunksByMember.size(), "but was not given work in it");
            assertTrue(Rollouts.same(expected, e.evaluate(r.broadcast, r.specs)));
            assertTrue(e.lastReport().chunksByMember.getOrDefault(joiner[0].uuid(), 0) > 0,
                    "the next iteration used it");
        } finally {
            if (joiner[0] != null) {
                joiner[0].close();
            }
        }
    }

    @Test
    @Timeout(120)
    void noMemberLeftStopsWithAClearError() throws Exception {
        Rollouts r = new Rollouts(10, 40);
        LoopbackCluster cluster = new LoopbackCluster(2);
        try (ClusterMember coordinator = cluster.start(0, 0);
             HazelcastRolloutEvaluator e = new HazelcastRolloutEvaluator(coordinator, 1, System::nanoTime)) {
            ClusterUnavailableException none = assertThrows(ClusterUnavailableException.class,
                    () -> e.evaluate(r.broadcast, r.specs));
            assertTrue(none.getMessage().startsWith("no cluster member offers rollout threads"), none.getMessage());
            ClusterMember worker = cluster.start(1, 1);
            e.setChunkListener((member, chunk) -> worker.terminate());
            ClusterUnavailableException left = assertThrows(ClusterUnavailableException.class,
                    () -> e.evaluate(r.broadcast, r.specs));
            assertTrue(left.getMessage().startsWith("no cluster member left to run rollouts"), left.getMessage());
        }
    }

    @Test
    void rejectsJoinEntryWithoutNumericPort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.parseMembers("--join", "10.0.0.2:5701,10.0.0.3:http"));
        assertEquals("--join: '10.0.0.3:http' has no numeric port", e.getMessage());
    }
}
