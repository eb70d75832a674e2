package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * src/dist/chromatic-robot-check against sample kernel configurations and cgroup layouts: a kernel with
 * RT group scheduling refuses the unit's SCHED_FIFO (status=214/SETSCHEDULER) unless the unit's cgroup
 * gets real-time time, and the check must say so, and what to do, before the first start.
 */
class RealTimeCheckScriptTest {

    private static final Path SCRIPT = Path.of("src", "dist", "chromatic-robot-check");
    private static final Path CONFIGS = Path.of("src", "test", "resources", "kernel-config");

    @TempDir
    Path tmp;

    private record Run(int exit, String out) {
    }

    /** Runs the check with CHROMATIC_SYSROOT=sysroot; the verdict is read from stdout and the exit code. */
    private static Run check(Path sysroot, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("CHROMATIC_KERNEL_CONFIG");
        pb.environment().put("CHROMATIC_SYSROOT", sysroot.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "chromatic-robot-check hangs");
        return new Run(p.exitValue(), out);
    }

    private Path sysroot(String name) throws Exception {
        Path root = tmp.resolve(name);
        Files.createDirectories(root.resolve("sys/fs/cgroup"));
        return root;
    }

    /** A cgroup v2 mount whose root enables the given controllers for its children. */
    private static void cgroup2(Path sysroot, String subtreeControl) throws Exception {
        Path cg = sysroot.resolve("sys/fs/cgroup");
        Files.writeString(cg.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(cg.resolve("cgroup.subtree_control"), subtreeControl + "\n");
    }

    private static void gzip(Path from, Path to) throws Exception {
        Files.createDirectories(to.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            out.write(Files.readAllBytes(from));
        }
    }

    private static void assertSaysWhatToDo(String out) {
        assertTrue(out.contains("PROBLEM"), out);
        assertTrue(out.contains("status=214/SETSCHEDULER"), out);
        assertTrue(out.contains("CONFIG_RT_GROUP_SCHED"), out);
        assertTrue(out.contains("cpu.rt_runtime_us"), "names the cgroup budget: " + out);
        assertTrue(out.contains("/etc/systemd/system/chromatic-robot.service.d/no-realtime.conf"), out);
        assertTrue(out.contains("CPUSchedulingPolicy=other"), "the drop-in that turns real time off: " + out);
        assertTrue(out.contains("loop.rt_priority=0"), out);
    }

    @Test
    void rtGroupSchedulingWithTheCpuControllerOnIsAProblemFromProcConfigGz() throws Exception {
        Path root = sysroot("v2-cpu-on");
        gzip(CONFIGS.resolve("rt-group-sched-y.config"), root.resolve("proc/config.gz"));
        cgroup2(root, "cpuset cpu io memory pids");
        Run r = check(root);
        assertEquals(1, r.exit(), r.out());
        assertSaysWhatToDo(r.out());
        assertTrue(r.out().contains(root.resolve("proc/config.gz").toString()), "names the file it read: " + r.out());
        assertTrue(r.out().contains("cgroup.subtree_control"), r.out());
    }

    @Test
    void rtGroupSchedulingWithoutCgroup2IsAProblem() throws Exception {
        Path root = sysroot("v1");
        Run r = check(root, "--kernel-config", CONFIGS.resolve("rt-group-sched-y.config").toString());
        assertEquals(1, r.exit(), r.out());
        assertSaysWhatToDo(r.out());
    }

    @Test
    void rtGroupSchedulingWithTheCpuControllerOffRunsOnTheRootBudget() throws Exception {
        Path root = sysroot("v2-cpu-off");
        cgroup2(root, "memory pids");
        Run r = check(root, "--kernel-config", CONFIGS.resolve("rt-group-sched-y.config").toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().startsWith("chromatic-robot-check: OK"), r.out());
        assertTrue(r.out().contains("CPUWeight="), "warns what would take the budget away: " + r.out());
        assertFalse(r.out().contains("PROBLEM"), r.out());
    }

    @Test
    void aKernelWithoutRtGroupSchedulingIsFineFromBootConfig() throws Exception {
        Path root = sysroot("boot");
        cgroup2(root, "cpuset cpu io memory pids");
        String release = new String(new ProcessBuilder("uname", "-r").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).trim();
        Files.createDirectories(root.resolve("boot"));
        Files.copy(CONFIGS.resolve("rt-group-sched-not-set.config"), root.resolve("boot/config-" + release));
        Run r = check(root);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("OK: the kernel has no RT group scheduling"), r.out());
        assertTrue(r.out().contains("boot/config-" + release), "names the file it read: " + r.out());
    }

    @Test
    void aKernelWithoutCgroupSchedulingAtAllIsFine() throws Exception {
        Run r = check(sysroot("nosched"), "--kernel-config", CONFIGS.resolve("no-cgroup-sched.config").toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("OK"), r.out());
    }

    @Test
    void procConfigGzWinsOverBootConfig() throws Exception {
        Path root = sysroot("both");
        gzip(CONFIGS.resolve("rt-group-sched-y.config"), root.resolve("proc/config.gz"));
        String release = new String(new ProcessBuilder("uname", "-r").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).trim();
        Files.createDirectories(root.resolve("boot"));
        Files.copy(CONFIGS.resolve("rt-group-sched-not-set.config"), root.resolve("boot/config-" + release));
        assertEquals(1, check(root).exit(), "the running kernel's own configuration is read first");
    }

    @Test
    void noKernelConfigurationCannotTell() throws Exception {
        Run r = check(sysroot("none"));
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("UNKNOWN: no kernel configuration"), r.out());
        assertTrue(r.out().contains("214/SETSCHEDULER"), "says what the failure would look like: " + r.out());
    }

    @Test
    void aFileThatIsNoKernelConfigurationOrNoGzipCannotTell() throws Exception {
        Path notConfig = tmp.resolve("robot.properties");
        Files.writeString(notConfig, "robot.id=minitaur-1\n");
        Run r = check(sysroot("a"), "--kernel-config", notConfig.toString());
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("is not a kernel configuration"), r.out());

        Path notGzip = tmp.resolve("config.gz");
        Files.writeString(notGzip, "CONFIG_RT_GROUP_SCHED=y\n");
        r = check(sysroot("b"), "--kernel-config", notGzip.toString());
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("cannot decompress"), r.out());
    }

    @Test
    void badUsageIsRefused() throws Exception {
        assertEquals(2, check(sysroot("c"), "--kernel-config", tmp.resolve("missing").toString()).exit());
        assertEquals(2, check(sysroot("d"), "--kernel-config").exit());
        assertEquals(2, check(sysroot("e"), "--bogus").exit());
    }
}
