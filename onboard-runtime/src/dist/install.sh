#!/bin/sh
# Installs or upgrades the chromatic robot runtime on Raspberry Pi OS (trixie or bookworm) or any
# systemd Linux with Java 17 or newer. Run from the unpacked release folder:  sudo ./install.sh [--start]
#
#   /opt/chromatic/{bin,lib}                program and chromatic-robot-check (replaced on upgrade)
#   /etc/chromatic/robot.properties         configuration (kept on upgrade; example installed once)
#   /etc/chromatic/trusted-keys/*.pub       public keys whose signed policies the robot accepts
#   /etc/chromatic/operator-keys/*.pub      public keys whose signed commands the robot obeys
#   /var/lib/chromatic/policies             policy slots and the installed-version record (kept)
#   /etc/systemd/system/chromatic-robot.service
#
# DESTDIR=/some/dir installs into that tree instead and skips users, groups and systemctl (for
# packaging and tests).
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
DESTDIR="${DESTDIR:-}"
START=no
for arg in "$@"; do
  case "$arg" in
    --start) START=yes ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "install.sh: $*"; }
fail() { echo "install.sh: $*" >&2; exit 1; }

for f in bin/chromatic-robot bin/chromatic-robot-check chromatic-robot.service robot.properties.example; do
  [ -e "$HERE/$f" ] || fail "missing $f: run this from the unpacked chromatic-robot folder"
done
ls "$HERE"/lib/*.jar >/dev/null 2>&1 || fail "no jars in $HERE/lib"

if [ -z "$DESTDIR" ]; then
  [ "$(id -u)" -eq 0 ] || fail "run as root (sudo ./install.sh), or set DESTDIR to install into a folder"
  [ -d /run/systemd/system ] || fail "systemd is not running on this machine; set DESTDIR to install into a folder"
  if ! command -v java >/dev/null 2>&1; then
    fail "java not found: install it with 'sudo apt install default-jre-headless' (OpenJDK 21 on trixie, 17 on bookworm)"
  fi
  JAVA_SPEC="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  JAVA_MAJOR="${JAVA_SPEC%%.*}"
  case "$JAVA_MAJOR" in
    ''|*[!0-9]*) fail "cannot tell the version of $(command -v java) (java.specification.version '$JAVA_SPEC'); Java 17 or newer is needed" ;;
  esac
  [ "$JAVA_MAJOR" -ge 17 ] || fail "java $JAVA_SPEC found, 17 or newer needed (sudo apt install default-jre-headless)"
  for g in i2c gpio; do
    getent group "$g" >/dev/null || { say "creating group $g"; groupadd --system "$g"; }
  done
  if ! id chromatic >/dev/null 2>&1; then
    say "creating system user chromatic"
    useradd --system --home-dir /var/lib/chromatic --no-create-home --shell /usr/sbin/nologin chromatic
  fi
  usermod -a -G i2c,gpio chromatic
fi

OPT="$DESTDIR/opt/chromatic"
ETC="$DESTDIR/etc/chromatic"
VAR="$DESTDIR/var/lib/chromatic"
UNIT="$DESTDIR/etc/systemd/system"

say "installing the program into $OPT"
mkdir -p "$OPT/bin" "$OPT/lib.new"
rm -rf "$OPT/lib.new"/*
cp "$HERE"/lib/*.jar "$OPT/lib.new/"
cp "$HERE/bin/chromatic-robot" "$OPT/bin/chromatic-robot.new"
cp "$HERE/bin/chromatic-robot-check" "$OPT/bin/chromatic-robot-check.new"
chmod 755 "$OPT/bin/chromatic-robot.new" "$OPT/bin/chromatic-robot-check.new"
rm -rf "$OPT/lib.old"
[ -d "$OPT/lib" ] && mv "$OPT/lib" "$OPT/lib.old"
mv "$OPT/lib.new" "$OPT/lib"
mv "$OPT/bin/chromatic-robot.new" "$OPT/bin/chromatic-robot"
mv "$OPT/bin/chromatic-robot-check.new" "$OPT/bin/chromatic-robot-check"
rm -rf "$OPT/lib.old"

mkdir -p "$ETC/trusted-keys" "$ETC/operator-keys" "$VAR/policies"
if [ -e "$ETC/robot.properties" ]; then
  say "keeping $ETC/robot.properties (the new example is $ETC/robot.properties.example)"
else
  say "installing the example configuration as $ETC/robot.properties: edit it before starting"
  cp "$HERE/robot.properties.example" "$ETC/robot.properties"
fi
cp "$HERE/robot.properties.example" "$ETC/robot.properties.example"
# the configuration may hold the broker password: root and the robot's group only
chmod 640 "$ETC/robot.properties" "$ETC/robot.properties.example"
chmod 755 "$ETC/trusted-keys" "$ETC/operator-keys"
chmod 700 "$VAR" "$VAR/policies"
mkdir -p "$UNIT"
cp "$HERE/chromatic-robot.service" "$UNIT/chromatic-robot.service"
chmod 644 "$UNIT/chromatic-robot.service"

if [ -z "$DESTDIR" ]; then
  chown -R chromatic:chromatic "$VAR"
  chown root:chromatic "$ETC/robot.properties" "$ETC/robot.properties.example"
  systemctl daemon-reload
  systemctl enable chromatic-robot.service
  # a kernel with RT group scheduling refuses the unit's SCHED_FIFO (docs/deploy.md, "Real-time priority")
  "$OPT/bin/chromatic-robot-check" || true
  if ls "$ETC"/trusted-keys/*.pub >/dev/null 2>&1; then :; else
    say "no trusted key yet: copy your <keyid>.pub from 'chromatic keygen' into $ETC/trusted-keys/"
  fi
  if ls "$ETC"/operator-keys/*.pub >/dev/null 2>&1; then :; else
    say "no operator key yet: the robot obeys only estop until an operator's <keyid>.pub is in $ETC/operator-keys/"
  fi
  if [ "$START" = yes ]; then
    systemctl restart chromatic-robot.service
    say "started; logs: journalctl -u chromatic-robot -f"
  else
    say "installed; start with: sudo systemctl start chromatic-robot  (logs: journalctl -u chromatic-robot -f)"
  fi
else
  say "installed into $DESTDIR"
fi
