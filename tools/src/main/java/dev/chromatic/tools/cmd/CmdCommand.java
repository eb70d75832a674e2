package dev.chromatic.tools.cmd;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.BrokerSession;
import dev.chromatic.tools.broker.RobotOnBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chromatic cmd}: signs an operator command, sends it to a robot and waits for the robot's
 * verdict. Exit 0 applied, 1 refused (the reason is printed) or no answer, 2 bad usage.
 */
@Command(name = "cmd", mixinStandardHelpOptions = true,
        description = {"Signs an operator command with an Ed25519 key from 'chromatic keygen' (its .pub must be in the",
                "robot's cmd.operator_keys folder), sends it on chromatic/<id>/cmd and waits for the verdict.",
                "arm keeps sending heartbeats while it waits and, with --seconds, holds the robot armed that long",
                "and then disarms it; heartbeat sends one every 250 ms for --seconds (default: one).",
                "estop needs no key. Exit 0 applied, 1 refused or no answer, 2 bad usage. See docs/mqtt.md."})
public final class CmdCommand implements Callable<Integer> {

    static final long HEARTBEAT_MS = 250;

    @Parameters(index = "0", paramLabel = "ACTION", description = "arm, disarm, estop, reset or heartbeat.")
    String action;

    @Mixin
    RobotOnBroker target = new RobotOnBroker();

    @Option(names = "--key", paramLabel = "FILE", description = "Operator private key (<keyid>.key); not needed for estop.")
    Path key;

    @Option(names = "--pub", paramLabel = "FILE", description = "Its public key (default: FILE with the suffix .pub).")
    Path pub;

    @Option(names = "--seconds", paramLabel = "S", description = "arm: stay armed S seconds, heartbeating, then disarm; "
            + "heartbeat: keep heartbeating S seconds.")
    Double seconds;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "S", description = "Seconds to wait for the verdict (default: ${DEFAULT-VALUE}).")
    int timeoutS;

    @Option(names = "--print", description = "Write the signed message to standard output instead of sending it.")
    boolean print;

    @Override
    public Integer call() throws Exception {
        String robot = target.robot();
        String broker = target.broker();
        BrokerOptions brokerOptions = target.options();
        CommandKind kind = CommandKind.byWireName(action);
        if (kind == null || kind == CommandKind.SET_RATE) {
            throw new BadInputException("ACTION must be arm, disarm, estop, reset or heartbeat, was '" + action + "'");
        }
        if (seconds != null && (!(seconds > 0) || seconds > 86_400 || (kind != CommandKind.ARM && kind != CommandKind.HEARTBEAT))) {
            throw new BadInputException("--seconds goes with arm or heartbeat and must be in (0, 86400]");
        }
        if (timeoutS <= 0) {
            throw new BadInputException("--timeout must be > 0, was " + timeoutS);
        }
        OperatorSigner signer = null;
        if (kind != CommandKind.ESTOP) {
            if (key == null) {
                throw new BadInputException(action + " must be signed: give the operator key with --key");
            }
            signer = OperatorSigner.load(key, pub, robot);
        }
        if (print) {
            System.out.println(kind == CommandKind.ESTOP ? SignedCommand.estop() : signer.sign(kind).json());
            return 0;
        }
        try (BrokerSession session = BrokerSession.connect(broker, "cmd", timeoutS, brokerOptions)) {
            String prefix = "chromatic/" + robot + "/";
            session.subscribe(prefix + "state");
            session.subscribe(prefix + "events");
            Verdicts v = new Verdicts(session, prefix);
            if (!v.awaitOnline(timeoutS * 1000L)) {
                System.err.println("chromatic cmd: robot " + robot + " is not online at " + broker);
                return 1;
            }
            return switch (kind) {
                case ESTOP -> {
                    session.publish(prefix + "cmd", SignedCommand.estop().getBytes(StandardCharsets.UTF_8), false);
                    yield v.awaitState("safe", timeoutS * 1000L) ? ok("estop applied: safe state latched")
                            : refused("no safe state within " + timeoutS + " s");
                }
                case HEARTBEAT -> heartbeat(session, prefix, v, signer);
                default -> command(session, prefix, v, signer, kind);
            };
        } catch (BrokerSession.BrokerException e) {
            System.err.println("chromatic cmd: " + e.getMessage());
            return 1;
        }
    }

    private int command(BrokerSession session, String prefix, Verdicts v, OperatorSigner signer, CommandKind kind)
            throws Exception {
        OperatorSigner.Signed s = signer.sign(kind);
        session.publish(prefix + "cmd", s.json().getBytes(StandardCharsets.UTF_8), false);
        long endNs = System.nanoTime() + timeoutS * 1_000_000_000L;
        long nextBeatNs = System.nanoTime() + HEARTBEAT_MS * 1_000_000L;
        Map<String, Object> verdict = null;
        while (verdict == null && System.nanoTime() - endNs < 0) {
            verdict = v.awaitVerdict(s.counter(), 50);
            if (kind == CommandKind.ARM && System.nanoTime() - nextBeatNs >= 0) {
                beat(session, prefix, signer);
                nextBeatNs += HEARTBEAT_MS * 1_000_000L;
            }
        }
        if (verdict == null) {
            return refused("no verdict from robot " + target.robot() + " within " + timeoutS + " s");
        }
        String event = String.valueOf(verdict.get("event"));
        boolean applied = switch (kind) {
            case ARM -> event.equals("armed");
            case DISARM -> event.equals("disarmed");
            case RESET -> event.equals("reset");
            default -> false;
        };
        if (!applied) {
            return refused(event + ": " + verdict.get("reason") + (verdict.get("detail") == null ? "" : " (" + verdict.get("detail") + ")"));
        }
        if (kind == CommandKind.ARM && seconds != null) {
            long holdEndNs = System.nanoTime() + Math.round(seconds * 1e9);
            while (System.nanoTime() - holdEndNs < 0) {
                if (v.awaitState("safe", HEARTBEAT_MS)) {
                    return refused("the robot latched its safe state while armed: " + v.lastState());
                }
                beat(session, prefix, signer);
            }
            OperatorSigner.Signed d = signer.sign(CommandKind.DISARM);
            session.publish(prefix + "cmd", d.json().getBytes(StandardCharsets.UTF_8), false);
            Map<String, Object> dv = v.awaitVerdict(d.counter(), timeoutS * 1000L);
            return dv != null && "disarmed".equals(dv.get("event")) ? ok("armed " + seconds + " s, then disarmed")
                    : refused("disarm after " + seconds + " s: " + (dv == null ? "no answer" : dv.get("reason")));
        }
        return ok(event + " (ctr " + s.counter() + ")");
    }

    private int heartbeat(BrokerSession session, String prefix, Verdicts v, OperatorSigner signer) throws Exception {
        double s = seconds == null ? 0 : seconds;
        long endNs = System.nanoTime() + Math.round(s * 1e9);
        int sent = 0;
        do {
            beat(session, prefix, signer);
            sent++;
            Map<String, Object> rejected = v.awaitRejection(signer.keyId(), HEARTBEAT_MS);
            if (rejected != null) {
                return refused("heartbeat rejected: " + rejected.get("reason") + " (" + rejected.get("detail") + ")");
            }
        } while (System.nanoTime() - endNs < 0);
        return ok(sent + " heartbeat(s) sent, none rejected");
    }

    private static void beat(BrokerSession session, String prefix, OperatorSigner signer) throws BrokerSession.BrokerException {
        session.publish(prefix + "cmd", signer.sign(CommandKind.HEARTBEAT).json().getBytes(StandardCharsets.UTF_8), false);
    }

    private static int ok(String message) {
        System.out.println("chromatic cmd: " + message);
        return 0;
    }

    private static int refused(String message) {
        System.err.println("chromatic cmd: refused: " + message);
        return 1;
    }

    /** The robot's answers: its retained state and the events naming a counter. */
    private static final class Verdicts {
        private final BrokerSession session;
        private final String prefix;
        private final java.util.List<Map<String, Object>> events = new java.util.ArrayList<>();
        private String state = "";

        Verdicts(BrokerSession session, String prefix) {
            this.session = session;
            this.prefix = prefix;
        }

        String lastState() {
            return state;
        }

        private void drain(long waitMs) throws InterruptedException {
            BrokerSession.Received r = session.poll(waitMs * 1_000_000L);
            while (r != null) {
                String text = new String(r.payload(), StandardCharsets.UTF_8);
                if (r.topic().equals(prefix + "state")) {
                    state = text;
                } else {
                    try {
                        events.add(Json.parseObject(text, 1 << 16));
                    } catch (JsonFormatException e) {
                        // not an event of ours
                    }
                }
                r = session.poll(0);
            }
        }

        boolean awaitOnline(long timeoutMs) throws InterruptedException {
            long end = System.nanoTime() + timeoutMs * 1_000_000L;
            while (!state.contains("\"online\":true")) {
                if (System.nanoTime() - end >= 0) {
                    return false;
                }
                drain(50);
            }
            return true;
        }

        boolean awaitState(String safetyState, long timeoutMs) throws InterruptedException {
            long end = System.nanoTime() + timeoutMs * 1_000_000L;
            do {
                if (state.contains("\"state\":\"" + safetyState + "\"")) {
                    return true;
                }
                drain(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
            } while (System.nanoTime() - end < 0);
            return state.contains("\"state\":\"" + safetyState + "\"");
        }

        /** The loop's event for this counter ({@code seq}) or a {@code command_rejected} naming it. */
        Map<String, Object> awaitVerdict(long counter, long timeoutMs) throws InterruptedException {
            long end = System.nanoTime() + timeoutMs * 1_000_000L;
            do {
                for (Map<String, Object> e : events) {
                    Object seq = e.get("seq");
                    Object ctr = e.get("ctr");
                    if ((seq instanceof Long l && l == counter) || (ctr instanceof Long c && c == counter)) {
                        return e;
                    }
                }
                drain(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
            } while (System.nanoTime() - end < 0);
            return null;
        }

        Map<String, Object> awaitRejection(String keyId, long timeoutMs) throws InterruptedException {
            drain(timeoutMs);
            for (Map<String, Object> e : events) {
                if ("command_rejected".equals(e.get("event")) && keyId.equals(e.get("key"))) {
                    return e;
                }
            }
            return null;
        }
    }
}
