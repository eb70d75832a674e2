package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot's Debian package (target/chromatic-robot_VERSION_all.deb, built by jdeb in the package phase;
 * this runs in the integration-test phase): its control fields, files and modes, conffiles, and its
 * maintainer scripts, run against a fake root (DPKG_ROOT) with stand-ins for adduser, deluser,
 * dpkg-statoverride, systemctl and friends that record their calls and keep a fake user database.
 * Needs dpkg-deb; skipped with a message without it.
 */
class DebianPackageTest {

    private static final String UNIT = "chromatic-robot.service";
    private static Path deb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findThePackage() throws Exception {
        boolean haveDpkgDeb = run(List.of("sh", "-c", "command -v dpkg-deb"), Map.of(), null).exit == 0;
        if (!haveDpkgDeb) {
            System.out.println("DebianPackageTest: skipped, dpkg-deb not found (Debian: apt-get install dpkg)");
        }
        Assumptions.assumeTrue(haveDpkgDeb, "dpkg-deb not found");
        String version = System.getProperty("chromatic.projectVersion");
        Path target = Path.of(System.getProperty("chromatic.buildDirectory", "target"));
        assertTrue(version != null && !version.isBlank(), "surefire passes chromatic.projectVersion");
        deb = target.resolve("chromatic-robot_" + debianVersion(version) + "_all.deb");
        assertTrue(Files.isRegularFile(deb), deb + " was not built (mvn package builds it)");
    }

    /** 0.1.0-SNAPSHOT sorts before 0.1.0 in Debian only as 0.1.0~SNAPSHOT. */
    static String debianVersion(String mavenVersion) {
        return mavenVersion.replace("-SNAPSHOT", "~SNAPSHOT");
    }

    private record Result(int exit, String out) {
    }

    /** Runs a command; its result is read from stdout and the exit code (stderr is discarded). */
    private static Result run(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
        return new Result(p.exitValue(), out);
    }

    private static String ok(String... cmd) throws Exception {
        Result r = run(List.of(cmd), Map.of(), null);
        assertEquals(0, r.exit, String.join(" ", cmd) + " failed: " + r.out);
        return r.out;
    }

    @Test
    void controlFieldsNameAJava17RuntimeAndAValidDebianVersion() throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : ok("dpkg-deb", "-f", deb.toString()).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith(" ")) {
                f.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        assertEquals("chromatic-robot", f.get("Package"));
        assertEquals("all", f.get("Architecture"));
        String version = f.get("Version");
        assertEquals(debianVersion(System.getProperty("chromatic.projectVersion")), version);
        assertTrue(version.matches("[0-9][A-Za-z0-9.+~]*"), "a Debian upstream version without a hyphen: " + version);
        assertFalse(version.contains("-"), version);
        List<String> depends = List.of(f.get("Depends").split("\\s*,\\s*"));
        assertEquals("default-jre-headless (>= 2:1.17) | openjdk-21-jre-headless | openjdk-17-jre-headless"
                + " | java17-runtime-headless", depends.get(0), "any Java 17 or newer: 21 on trixie, 17 on bookworm");
        assertTrue(depends.contains("systemd"), f.get("Depends"));
        assertTrue(depends.contains("adduser"), "postinst makes the system user: " + f.get("Depends"));
        assertTrue(depends.contains("init-system-helpers"), "deb-systemd-helper: " + f.get("Depends"));
        assertFalse(f.getOrDefault("Maintainer", "").isBlank());
        assertFalse(f.getOrDefault("Description", "").isBlank());
    }

    @Test
    void filesModesOwnersAndContentAreThoseOfTheRelease() throws Exception {
        Map<String, String> entries = new TreeMap<>();
        for (String line : ok("dpkg-deb", "-c", deb.toString()).split("\n")) {
            String[] w = line.trim().split("\\s+");
            String path = w[5].replaceFirst("^\\./", "/");
            String what = w[0] + " " + w[1] + (w.length > 7 && w[6].equals("->") ? " -> " + w[7] : "");
            if (!w[0].startsWith("d") || path.startsWith("/etc/chromatic/")) {
                entries.put(path, what);
            }
        }
        Map<String, String> expected = new TreeMap<>(Map.of(
                "/opt/chromatic/lib/chromatic-robot.jar", "-rw-r--r-- root/root",
                "/opt/chromatic/bin/chromatic-robot", "-rwxr-xr-x root/root",
                "/opt/chromatic/bin/chromatic-robot-check", "-rwxr-xr-x root/root",
                "/usr/sbin/chromatic-robot-check", "lrwxrwxrwx root/root -> /opt/chromatic/bin/chromatic-robot-check",
                "/usr/lib/systemd/system/" + UNIT, "-rw-r--r-- root/root",
                "/etc/chromatic/robot.properties", "-rw-r----- root/root",
                "/etc/chromatic/", "drwxr-xr-x root/root",
                "/etc/chromatic/trusted-keys/", "drwxr-xr-x root/root",
                "/etc/chromatic/operator-keys/", "drwxr-xr-x root/root"));
        // dpkg-deb prints a symlink's mode as the archive holds it; only the link itself matters
        entries.computeIfPresent("/usr/sbin/chromatic-robot-check", (k, v) -> v.replaceFirst("^l\\S+", "lrwxrwxrwx"));
        assertEquals(expected, entries, "the package's files (and nothing else), modes and owners");

        Path root = tmp.resolve("x");
        ok("dpkg-deb", "-x", deb.toString(), root.toString());
        Path dist = Path.of("src", "dist");
        assertArrayEquals(Files.readAllBytes(Path.of(System.getProperty("chromatic.buildDirectory", "target"), "chromatic-robot.jar")),
                Files.readAllBytes(root.resolve("opt/chromatic/lib/chromatic-robot.jar")), "the shaded robot jar");
        for (String[] pair : new String[][] {
                {"chromatic-robot", "opt/chromatic/bin/chromatic-robot"},
                {"chromatic-robot-check", "opt/chromatic/bin/chromatic-robot-check"},
                {UNIT, "usr/lib/systemd/system/" + UNIT},
                {"robot.properties", "etc/chromatic/robot.properties"}}) {
            assertEquals(Files.readString(dist.resolve(pair[0])), Files.readString(root.resolve(pair[1])), pair[1]);
        }
        // the unit runs the launcher where the package puts it
        assertTrue(Files.readAllLines(root.resolve("usr/lib/systemd/system/" + UNIT)).stream()
                .anyMatch(l -> l.startsWith("ExecStart=/opt/chromatic/bin/chromatic-robot ")));
    }

    @Test
    void theConfigurationIsTheOnlyConffile() throws Exception {
        assertEquals("/etc/chromatic/robot.properties", ok("dpkg-deb", "-I", deb.toString(), "conffiles").trim(),
                "an upgrade keeps the operator's robot.properties");
    }

    @Test
    void maintainerScriptsAreExecutableShellScriptsThatParse() throws Exception {
        Path control = tmp.resolve("DEBIAN");
        ok("dpkg-deb", "-e", deb.toString(), control.toString());
        for (String s : List.of("postinst", "prerm", "postrm")) {
            Path script = control.resolve(s);
            assertTrue(Files.isRegularFile(script), s);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)), s);
            assertTrue(Files.readString(script).startsWith("#!/bin/sh\n"), s);
            assertFalse(Files.readString(script).contains("[["), s + " has an unreplaced jdeb token");
            assertEquals(0, run(List.of("sh", "-n", script.toString()), Map.of(), null).exit, "sh -n " + s);
        }
        assertFalse(Files.exists(control.resolve("preinst")));
    }

    // --- the maintainer scripts at work -------------------------------------------------------------

    /** Stand-ins for the commands the scripts call: each records "name args" and keeps a fake database. */
    private static final String STUB = """
            #!/bin/sh
            name=$(basename "$0")
            echo "$name $*" >> "$STUB_LOG"
            db="$STUB_DB"
            last=""; for a in "$@"; do last="$a"; done
            case "$name" in
              getent) [ -e "$db/$1/$2" ] ;;
              addgroup) mkdir -p "$db/group"; touch "$db/group/$last" ;;
              adduser)
                case " $* " in
                  *" --system "*)
                    mkdir -p "$db/passwd" "$db/group"; touch "$db/passwd/$last"
                    case " $* " in *" --group "*) touch "$db/group/$last" ;; esac ;;
                  *)
                    [ -e "$db/passwd/$2" ] || { echo "adduser: no user $2" >&2; exit 1; }
                    [ -e "$db/group/$3" ] || { echo "adduser: no group $3" >&2; exit 1; }
                    mkdir -p "$db/members"; touch "$db/members/$3.$2" ;;
                esac ;;
              deluser) rm -f "$db/passwd/$last"; rm -f "$db"/members/*."$last" ;;
              delgroup) rm -f "$db/group/$last" ;;
              dpkg-statoverride)
                touch "$db/overrides"
                case "$1" in
                  --list) grep -q " $2\\$" "$db/overrides" ;;
                  --update)
                    if grep -q " $6\\$" "$db/overrides"; then echo "an override for $6 already exists" >&2; exit 2; fi
                    echo "$3 $4 $5 $6" >> "$db/overrides" ;;
                  --remove) grep -v " $2\\$" "$db/overrides" > "$db/overrides.new" || true; mv "$db/overrides.new" "$db/overrides" ;;
                esac ;;
              deb-systemd-helper)
                case "$*" in *was-enabled*) [ ! -e "$db/disabled" ] ;; esac ;;
            esac
            """;

    private Path root;
    private Path db;
    private Path log;
    private Path bin;
    private Path control;
    private Path sysroot;

    private void fakeSystem() throws Exception {
        root = tmp.resolve("root");
        db = tmp.resolve("db");
        log = tmp.resolve("calls.log");
        bin = tmp.resolve("bin");
        control = tmp.resolve("control");
        ok("dpkg-deb", "-x", deb.toString(), root.toString());
        ok("dpkg-deb", "-e", deb.toString(), control.toString());
        Files.createDirectories(root.resolve("run/systemd/system"));
        Files.createDirectories(db.resolve("group"));
        Files.createDirectories(db.resolve("passwd"));
        Files.createFile(db.resolve("group/i2c"));  // Raspberry Pi OS has i2c; this system lacks gpio
        Files.createDirectories(bin);
        for (String name : List.of("getent", "addgroup", "adduser", "deluser", "delgroup", "dpkg-statoverride",
                "chown", "deb-systemd-helper", "deb-systemd-invoke", "systemctl")) {
            Path stub = bin.resolve(name);
            Files.writeString(stub, STUB);
            stub.toFile().setExecutable(true);
        }
        // a kernel whose RT group scheduling refuses the unit's SCHED_FIFO
        sysroot = tmp.resolve("sysroot");
        Files.createDirectories(sysroot.resolve("sys/fs/cgroup"));
        Files.createDirectories(sysroot.resolve("boot"));
        String release = ok("uname", "-r").trim();
        Files.copy(Path.of("src/test/resources/kernel-config/rt-group-sched-y.config"), sysroot.resolve("boot/config-" + release));
    }

    private Result script(String name, String... args) throws Exception {
        Files.deleteIfExists(log);
        Files.createFile(log);
        List<String> cmd = new ArrayList<>(List.of("sh", control.resolve(name).toString()));
        cmd.addAll(List.of(args));
        Map<String, String> env = Map.of(
                "PATH", bin + ":" + System.getenv("PATH"),
                "DPKG_ROOT", root.toString(),
                "STUB_LOG", log.toString(),
                "STUB_DB", db.toString(),
                "CHROMATIC_SYSROOT", sysroot.toString());
        return run(cmd, env, tmp);
    }

    private List<String> calls() throws Exception {
        return Files.readAllLines(log).stream().filter(l -> !l.startsWith("getent ")).toList();
    }

    @Test
    void installUpgradeRemoveAndPurgeAgainstAFakeRoot() throws Exception {
        fakeSystem();
        Path state = root.resolve("var/lib/chromatic");

        // first install: user, groups, the configuration's owner, the state folder, enabled but not started
        Result first = script("postinst", "configure", "");
        assertEquals(0, first.exit, first.out);
        List<String> c = calls();
        assertTrue(c.contains("addgroup --quiet --system gpio"), c.toString());
        assertFalse(c.contains("addgroup --quiet --system i2c"), "i2c exists already: " + c);
        assertTrue(c.contains("adduser --quiet --system --group --home /var/lib/chromatic --no-create-home"
                + " --shell /usr/sbin/nologin chromatic"), c.toString());
        assertTrue(Files.exists(db.resolve("members/i2c.chromatic")) && Files.exists(db.resolve("members/gpio.chromatic")),
                "chromatic is in i2c and gpio: " + c);
        assertEquals(List.of("root chromatic 0640 /etc/chromatic/robot.properties"), Files.readAllLines(db.resolve("overrides")));
        assertTrue(c.contains("chown chromatic:chromatic " + state + " " + state.resolve("policies")), c.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("policies"))));
        assertTrue(c.contains("deb-systemd-helper enable " + UNIT), c.toString());
        assertTrue(c.contains("systemctl --system daemon-reload"), c.toString());
        assertTrue(c.stream().noneMatch(l -> l.startsWith("deb-systemd-invoke")), "not started before it is configured: " + c);
        assertTrue(first.out.contains("chromatic-robot-check: PROBLEM"), "the real-time check ran: " + first.out);
        assertTrue(first.out.contains("214/SETSCHEDULER"), first.out);

        // the operator configures the robot
        Files.writeString(root.resolve("etc/chromatic/trusted-keys/3f9a0c1b2d4e5f60.pub"), "key");
        Files.writeString(root.resolve("etc/chromatic/operator-keys/0a1b2c3d4e5f6071.pub"), "key");
        Files.writeString(root.resolve("etc/chromatic/mqtt-password"), "secret");
        Files.writeString(state.resolve("policies/slot-a.cpol"), "policy");

        // an upgrade (the operator had disabled the unit): nothing made twice, the unit not re-enabled,
        // a running runtime restarted on the new jar
        Files.createFile(db.resolve("disabled"));
        Result upgrade = script("postinst", "configure", "0.0.9");
        assertEquals(0, upgrade.exit, upgrade.out);
        c = calls();
        assertTrue(c.stream().noneMatch(l -> l.startsWith("adduser --quiet --system") || l.startsWith("addgroup")),
                "no user or group made again: " + c);
        assertTrue(c.stream().noneMatch(l -> l.startsWith("dpkg-statoverride --update")), c.toString());
        assertFalse(c.contains("deb-systemd-helper enable " + UNIT), "the operator's disable stands: " + c);
        assertTrue(c.contains("deb-systemd-helper update-state " + UNIT), c.toString());
        assertTrue(c.contains("deb-systemd-invoke try-restart " + UNIT), c.toString());
        assertTrue(Files.exists(state.resolve("policies/slot-a.cpol")));

        // remove: stop first, then the configuration, keys and policies stay
        Result prerm = script("prerm", "remove");
        assertEquals(0, prerm.exit);
        assertEquals(List.of("deb-systemd-invoke stop " + UNIT), calls());
        Result upgradePrerm = script("prerm", "upgrade", "0.2.0");
        assertEquals(0, upgradePrerm.exit);
        assertEquals(List.of(), calls(), "an upgrade does not stop the runtime in prerm");
        Result remove = script("postrm", "remove");
        assertEquals(0, remove.exit);
        assertTrue(calls().contains("deb-systemd-helper mask " + UNIT), calls().toString());
        assertTrue(Files.exists(root.resolve("etc/chromatic/trusted-keys/3f9a0c1b2d4e5f60.pub")));
        assertTrue(Files.exists(state.resolve("policies/slot-a.cpol")));
        assertTrue(Files.exists(db.resolve("passwd/chromatic")));

        // purge: configuration, keys, secrets, state and the user go; the shared hardware groups stay
        Result purge = script("postrm", "purge");
        assertEquals(0, purge.exit, purge.out);
        c = calls();
        assertFalse(Files.exists(root.resolve("etc/chromatic")), "configuration, keys and secrets removed");
        assertFalse(Files.exists(state), "policy store and counters removed");
        assertTrue(c.contains("dpkg-statoverride --remove /etc/chromatic/robot.properties"), c.toString());
        assertEquals(List.of(), Files.readAllLines(db.resolve("overrides")));
        assertTrue(c.contains("deluser --quiet --system chromatic"), c.toString());
        assertFalse(Files.exists(db.resolve("passwd/chromatic")));
        assertFalse(Files.exists(db.resolve("group/chromatic")));
        assertTrue(Files.exists(db.resolve("group/i2c")) && Files.exists(db.resolve("group/gpio")), "i2c and gpio stay");
        assertTrue(c.contains("deb-systemd-helper purge " + UNIT), c.toString());

        // a second purge (the user is gone already) still succeeds
        assertEquals(0, script("postrm", "purge").exit);
    }

    @Test
    void maintainerScriptsRefuseAnUnknownAction() throws Exception {
        fakeSystem();
        assertEquals(1, script("postinst", "bogus").exit);
        assertEquals(1, script("postrm", "bogus").exit);
        assertEquals(List.of(), calls(), "nothing done for an unknown action");
    }
}
