#!/usr/bin/env bash
# Runs the robot jar on an arm64 JRE under qemu-user against a simulator, flashes a standing policy
# over MQTT, arms the robot and checks that it stays armed for 5 s. Not part of CI (slow, needs
# foreign-architecture packages). See docs/deploy.md.
#
# Needs (Debian/Ubuntu x86_64):
#   sudo dpkg --add-architecture arm64 && sudo apt-get update
#   sudo apt-get install qemu-user-static openjdk-17-jre-headless:arm64 mosquitto
# and the project built (mvn -B -DskipTests package).
#
# ROBOT_JAVA=/path/to/java runs the robot on another JRE instead (e.g. the host's, to check this
# script itself); SMOKE_SECONDS changes the armed time (default 5); KEEP_WORK=1 keeps the logs.
# SMOKE_DEB=1 (as root, on a machine without chromatic-robot) first installs the Debian package with
# dpkg -i, checks what it installed, runs the robot from the installed jar, and purges it at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_JAR="$ROOT/tools/target/chromatic-tools.jar"
ROBOT_JAR="$ROOT/onboard-runtime/target/chromatic-robot.jar"
ROBOT_JAVA="${ROBOT_JAVA:-/usr/lib/jvm/java-17-openjdk-arm64/bin/java}"
SECONDS_ARMED="${SMOKE_SECONDS:-5}"
ID="arm64-smoke"

die() { echo "arm64-smoke: $*" >&2; exit 2; }
say() { echo "arm64-smoke: $*"; }

[[ -f "$TOOLS_JAR" && -f "$ROBOT_JAR" ]] || die "build first: (cd $ROOT && mvn -B -DskipTests package)"
[[ -x "$ROBOT_JAVA" ]] || die "no JRE at $ROBOT_JAVA: sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install openjdk-17-jre-headless:arm64"
DEB="$(ls "$ROOT"/onboard-runtime/target/chromatic-robot_*_all.deb 2>/dev/null | tail -n 1 || true)"
if [[ -n ${SMOKE_DEB:-} ]]; then
  [[ $(id -u) -eq 0 ]] || die "SMOKE_DEB=1 installs the Debian package: run as root"
  [[ -n $DEB ]] || die "no Debian package: (cd $ROOT && mvn -B -DskipTests package)"
  if dpkg -s chromatic-robot >/dev/null 2>&1; then
    die "chromatic-robot is installed here already and SMOKE_DEB purges it at the end: use a machine without it"
  fi
fi
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[[ -x "$MOSQUITTO" ]] || die "mosquitto not found: sudo apt-get install mosquitto"

RUN_ROBOT=("$ROBOT_JAVA")
if file -L "$ROBOT_JAVA" | grep -q "aarch64"; then
  if [[ "$(uname -m)" != "aarch64" ]]; then
    QEMU="$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)"
    [[ -n "$QEMU" ]] || die "qemu-aarch64 not found: sudo apt-get install qemu-user-static"
    RUN_ROBOT=("$QEMU" "$ROBOT_JAVA")
  fi
  say "robot JRE: $ROBOT_JAVA (aarch64, via ${RUN_ROBOT[0]})"
else
  say "robot JRE: $ROBOT_JAVA (not aarch64: checking the script, not the architecture)"
fi

WORK="$(mktemp -d)"
PIDS=()
DEB_INSTALLED=no
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $DEB_INSTALLED == yes ]]; then dpkg --purge chromatic-robot >/dev/null 2>&1 || true; fi
  if [[ -n "${KEEP_WORK:-}" ]]; then echo "arm64-smoke: logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
tools() { java -jar "$TOOLS_JAR" "$@"; }
free_port() { java -cp "$WORK" FreePort; }

cat > "$WORK/FreePort.java" <<'JAVA'
public class FreePort {
    public static void main(String[] a) throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) { System.out.println(s.getLocalPort()); }
    }
}
JAVA
cat > "$WORK/Smoke.java" <<'JAVA'
import dev.chromatic.runtime.policy.*;
import java.nio.file.Path;
/** "policy OUT": a standing minitaur-direct policy (all weights zero) at 10 ms. */
public class Smoke {
    public static void main(String[] a) throws Exception {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17, new int[] {12, 16, 8}, Activation.TANH, 1).toBuilder();
        java.util.Arrays.fill(b.sharedWeights, 0.0);
        for (double[] l : b.biases) java.util.Arrays.fill(l, 0.0);
        b.robot = "minitaur"; b.stack = "minitaur-direct"; b.task = "stand"; b.controlPeriodNs = 10_000_000L;
        PolicyFiles.write(Path.of(a[1]), b.build());
    }
}
JAVA
javac -d "$WORK" "$WORK/FreePort.java"

MQTT_PORT="$(free_port)"
"$MOSQUITTO" -p "$MQTT_PORT" >"$WORK/mosquitto.log" 2>&1 &
PIDS+=($!)
BROKER="tcp://127.0.0.1:$MQTT_PORT"

SIM_PORT="$(free_port)"
# java itself in the background (not the tools function): $! is then the JVM, which cleanup stops
java -jar "$TOOLS_JAR" sim-server --port "$SIM_PORT" --control-period-ms 10 >"$WORK/sim.log" 2>&1 &
PIDS+=($!)

if [[ -n ${SMOKE_DEB:-} ]]; then
  say "installing $(basename "$DEB") with dpkg -i"
  DEB_INSTALLED=yes
  dpkg -i "$DEB" || die "dpkg -i failed (a missing dependency? 'apt install $DEB' pulls them in)"
  deb_fail() { echo "arm64-smoke: FAIL: the package: $*" >&2; exit 1; }
  [[ "$(dpkg-query -W -f '${Status}' chromatic-robot)" == "install ok installed" ]] || deb_fail "not installed"
  [[ -x /opt/chromatic/bin/chromatic-robot && -f /opt/chromatic/lib/chromatic-robot.jar ]] || deb_fail "no program in /opt/chromatic"
  [[ -f /usr/lib/systemd/system/chromatic-robot.service ]] || deb_fail "no unit"
  [[ "$(stat -c '%a %U:%G' /etc/chromatic/robot.properties)" == "640 root:chromatic" ]] \
    || deb_fail "/etc/chromatic/robot.properties is $(stat -c '%a %U:%G' /etc/chromatic/robot.properties), not 640 root:chromatic"
  [[ "$(stat -c '%a %U' /var/lib/chromatic)" == "700 chromatic" ]] || deb_fail "/var/lib/chromatic is not 700 chromatic"
  for g in i2c gpio; do id -nG chromatic | tr ' ' '\n' | grep -qx "$g" || deb_fail "chromatic is not in $g"; done
  if [[ -d /run/systemd/system ]]; then
    [[ "$(systemctl is-enabled chromatic-robot.service)" == enabled ]] || deb_fail "the unit is not enabled"
  fi
  rc=0; chromatic-robot-check || rc=$?
  [[ $rc == 0 || $rc == 1 || $rc == 3 ]] || deb_fail "chromatic-robot-check exit $rc"
  say "package installed as documented; the robot runs from /opt/chromatic/lib/chromatic-robot.jar"
  ROBOT_JAR=/opt/chromatic/lib/chromatic-robot.jar
fi

mkdir -p "$WORK/keys" "$WORK/trusted" "$WORK/operators" "$WORK/store"
tools keygen --out "$WORK/keys" >/dev/null
KEY="$(ls "$WORK"/keys/*.key)"
# one key signs the policy and the operator's commands (the robot obeys only signed ones)
cp "$WORK"/keys/*.pub "$WORK/trusted/"
cp "$WORK"/keys/*.pub "$WORK/operators/"
java -cp "$TOOLS_JAR" "$WORK/Smoke.java" policy "$WORK/stand.cpol"
tools sign --key "$KEY" --version 1 "$WORK/stand.cpol" >/dev/null

cat > "$WORK/robot.properties" <<PROPS
robot.id=$ID
hal=remote:127.0.0.1:$SIM_PORT
loop.rate_hz=100
# This checks that the jar runs on arm64, not its timing: under emulation (and on a busy host) cycles
# overrun and simulator replies come late, so the smoke run tolerates long streaks of both.
safety.bad_sensor_cycles=100
safety.overrun_cycles=100
policy.store_dir=$WORK/store
policy.trusted_keys_dir=$WORK/trusted
policy.stack=minitaur-direct
mqtt.url=$BROKER
cmd.operator_keys=$WORK/operators
# armed without an operator's heartbeats: the smoke run checks the jar, not the link watchdog
safety.link_timeout_s=0
PROPS

say "starting the robot jar (under emulation the JVM takes a while to start)"
"${RUN_ROBOT[@]}" -XX:+UseSerialGC -Xmx256m -jar "$ROBOT_JAR" --config "$WORK/robot.properties" >"$WORK/robot.log" 2>&1 &
ROBOT_PID=$!
PIDS+=($ROBOT_PID)

online=no
for _ in $(seq 1 120); do
  if ! kill -0 "$ROBOT_PID" 2>/dev/null; then
    cat "$WORK/robot.log" >&2; die "the robot process ended"
  fi
  if tools status --robot "$ID" --broker "$BROKER" --timeout 1 --json 2>/dev/null | grep -q '"online":true'; then
    online=yes; break
  fi
done
[[ $online == yes ]] || { cat "$WORK/robot.log" >&2; echo "arm64-smoke: FAIL: robot never came online" >&2; exit 1; }
say "robot online; flashing a standing policy"
tools flash --robot "$ID" --broker "$BROKER" --timeout 120 "$WORK/stand.cpol"

# Arming is refused while the first simulator frames are still stale; ask again until it holds.
armed_since=""
for _ in $(seq 1 20); do
  tools cmd --robot "$ID" --broker "$BROKER" --key "$KEY" --timeout 5 arm >/dev/null || true
  if tools status --robot "$ID" --broker "$BROKER" --timeout 2 --json | grep -q '"armed":true'; then armed_since=yes; break; fi
done
[[ -n $armed_since ]] || { tools status --robot "$ID" --broker "$BROKER" --timeout 2 >&2 || true; echo "arm64-smoke: FAIL: the robot did not arm" >&2; exit 1; }
say "armed; watching for ${SECONDS_ARMED} s"
sleep "$SECONDS_ARMED"
STATE="$(tools status --robot "$ID" --broker "$BROKER" --timeout 2 --json)"
echo "$STATE"
if ! grep -q '"armed":true' <<<"$STATE"; then
  echo "arm64-smoke: FAIL: the robot left the armed state" >&2
  tail -n 20 "$WORK/robot.log" >&2
  exit 1
fi
if [[ $DEB_INSTALLED == yes ]]; then
  dpkg --purge chromatic-robot >/dev/null || { echo "arm64-smoke: FAIL: dpkg --purge failed" >&2; exit 1; }
  DEB_INSTALLED=no
  for gone in /etc/chromatic /var/lib/chromatic /opt/chromatic/lib/chromatic-robot.jar; do
    [[ ! -e $gone ]] || { echo "arm64-smoke: FAIL: $gone is still there after the purge" >&2; exit 1; }
  done
  ! id chromatic >/dev/null 2>&1 || { echo "arm64-smoke: FAIL: the user chromatic is still there after the purge" >&2; exit 1; }
  say "package purged: configuration, state and the user chromatic are gone"
fi
say "PASS: stayed armed for ${SECONDS_ARMED} s on $("${RUN_ROBOT[@]}" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *os.arch = //p')"

