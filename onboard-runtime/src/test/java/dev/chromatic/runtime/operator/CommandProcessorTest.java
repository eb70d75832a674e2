package dev.chromatic.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.command.OperatorLink;
import dev.chromatic.runtime.events.EventOutbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandProcessorTest {

    private static final String ROBOT = "r1";

    private final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    private final CommandMailbox mailbox = new CommandMailbox(64);
    private final OperatorLink link = new OperatorLink();
    private final EventOutbox outbox = new EventOutbox(1024);
    private final TestOperator op = new TestOperator(ROBOT);

    private CommandProcessor processor(CommandSettings s) {
        return new CommandProcessor(ROBOT, mailbox, link, outbox, clock, s);
    }

    private CommandProcessor processor() {
        return processor(CommandSettings.of(op.trust(), CounterStore.inMemory()));
    }

    private static CommandProcessor.Outcome send(CommandProcessor p, String json) {
        return p.onMessage(json.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> events() {
        List<String> all = new ArrayList<>();
        for (String e; (e = outbox.poll()) != null; ) {
            all.add(e);
        }
        return all;
    }

    /** The kind of the next mailbox entry, or null. */
    private CommandKind next() {
        if (mailbox.peekSequence() < 0) {
            return null;
        }
        return CommandMailbox.kindOf(mailbox.pollOp());
    }

    @Test
    void appliesASignedCommandOnlyAfterTheVerifierCheckedIt() {
        CommandProcessor p = processor();
        assertEquals(CommandProcessor.Outcome.QUEUED, send(p, op.sign(CommandKind.ARM)));
        assertEquals(null, next(), "nothing reaches the loop before verification");
        p.doWork();
        assertEquals(CommandKind.ARM, next());
        assertEquals(1, p.accepted());
        assertEquals(1, link.contacts(), "a verified command counts as operator contact");
    }

    @Test
    void refusesUnsignedForgedForeignAndUnknownKeyCommandsNamingWhy() {
        CommandProcessor p = processor();
        assertEquals(CommandProcessor.Outcome.REJECTED, send(p, "{\"seq\": 1, \"cmd\": \"arm\"}"));
        assertEquals(1, p.rejected(Rejection.UNSIGNED));

        String good = op.sign(CommandKind.ARM);
        String forged = good.replaceAll("\"sig\":\"[^\"]+\"", "\"sig\":\""
                + Base64.getEncoder().encodeToString(new byte[64]) + "\"");
        send(p, forged);
        p.doWork();
        assertEquals(1, p.rejected(Rejection.BAD_SIGNATURE));

        TestOperator elsewhere = new TestOperator("r2");
        send(p, elsewhere.sign(CommandKind.ARM));
        assertEquals(1, p.rejected(Rejection.WRONG_ROBOT));

        TestOperator stranger = new TestOperator(ROBOT);
        send(p, stranger.sign(CommandKind.ARM));
        assertEquals(1, p.rejected(Rejection.UNKNOWN_KEY));
        p.doWork();
        assertEquals(null, next(), "nothing was applied");
        List<String> ev = events();
        for (String reason : List.of("unsigned", "bad_signature", "wrong_robot", "unknown_key")) {
            assertTrue(ev.stream().anyMatch(e -> e.contains("\"event\":\"command_rejected\"")
                    && e.contains("\"reason\":\"" + reason + "\"")), reason + " in " + ev);
        }
    }

    @Test
    void aCommandSignedForOneRobotOrCommandIsWorthNothingForAnother() {
        CommandProcessor p = processor();
        String disarm = op.sign(CommandKind.DISARM);
        send(p, disarm.replace("\"cmd\":\"disarm\"", "\"cmd\":\"arm\""));
        p.doWork();
        assertEquals(1, p.rejected(Rejection.BAD_SIGNATURE));
        assertEquals(null, next());
    }

    @Test
    void refusesReplaysAndAForgedHugeCounterPoisonsNothing() {
        CommandProcessor p = processor();
        String arm = op.sign(CommandKind.ARM);
        send(p, arm);
        p.doWork();
        assertEquals(CommandKind.ARM, next());
        send(p, arm);
        p.doWork();
        assertEquals(1, p.rejected(Rejection.REPLAY));

        String huge = op.signAt(SignedCommand.MAX_COUNTER, CommandKind.DISARM);
        String forgedHuge = huge.replaceAll("\"sig\":\"[^\"]+\"", "\"sig\":\""
                + Base64.getEncoder().encodeToString(new byte[64]) + "\"");
        send(p, forgedHuge);
        p.doWork();
        assertEquals(1, p.rejected(Rejection.BAD_SIGNATURE));
        send(p, op.sign(CommandKind.DISARM));
        p.doWork();
        assertEquals(CommandKind.DISARM, next(), "the next genuine command still lands");

        send(p, "{\"robot\":\"r1\",\"key\":\"" + op.keyId + "\",\"ctr\":9223372036854775807,\"cmd\":\"arm\",\"sig\":\""
                + Base64.getEncoder().encodeToString(new byte[64]) + "\"}");
        send(p, "{\"robot\":\"r1\",\"key\":\"" + op.keyId + "\",\"ctr\":1e300,\"cmd\":\"arm\",\"sig\":\"x\"}");
        assertEquals(2, p.rejected(Rejection.MALFORMED), "counters beyond 2^53-1 are malformed");
    }

    @Test
    void replayIsRefusedAfterARestartFromTheCounterFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("operator-counters");
        CommandProcessor first = processor(CommandSettings.of(op.trust(), CounterStore.open(file)));
        String arm = op.sign(CommandKind.ARM);
        send(first, arm);
        first.doWork();
        assertEquals(CommandKind.ARM, next());
        assertEquals(op.keyId + " " + op.counter() + "\n", Files.readString(file));

        CommandProcessor restarted = processor(CommandSettings.of(op.trust(), CounterStore.open(file)));
        send(restarted, arm);
        restarted.doWork();
        assertEquals(1, restarted.rejected(Rejection.REPLAY));
        assertEquals(null, next());
    }

    @Test
    void aCorruptCounterFileStopsTheStartNamingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("operator-counters");
        Files.writeString(file, "abc notanumber\n");
        IOException e = assertThrows(IOException.class, () -> CounterStore.open(file));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void aCounterThatCannotBeSavedIsNotApplied(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("gone"));
        CounterStore store = CounterStore.open(sub.resolve("operator-counters"));
        Files.delete(sub);
        CommandProcessor p = processor(CommandSettings.of(op.trust(), store));
        send(p, op.sign(CommandKind.ARM));
        p.doWork();
        assertEquals(1, p.rejected(Rejection.COUNTER_NOT_SAVED));
        assertEquals(null, next());
    }

    @Test
    void anyEstopLandsAtOnceSignedOrNotWhateverItsOtherFields() {
        CommandProcessor p = processor(CommandSettings.estopOnly().withMaxPerSecond(1));
        for (int i = 0; i < 50; i++) {
            send(p, "{\"robot\":\"someone-else\",\"cmd\":\"estop\",\"force\":true,\"seq\":" + i + "}");
        }
        assertEquals(50, mailbox.estopRequests(), "no E-stop was rate-limited or refused");
        assertEquals(50, p.estops());
        assertEquals(0, p.rejectedTotal());
    }

    @Test
    void withoutOperatorKeysOnlyEstopIsAccepted() {
        CommandProcessor p = processor(CommandSettings.estopOnly());
        send(p, op.sign(CommandKind.ARM));
        assertEquals(1, p.rejected(Rejection.UNKNOWN_KEY));
        assertTrue(events().get(0).contains("no operator keys"));
        send(p, SignedCommand.estop());
        assertEquals(1, mailbox.estopRequests());
    }

    @Test
    void refusesForceFromTheNetwork() {
        CommandProcessor p = processor();
        String rate = op.signRate(200);
        send(p, rate.replace("\"hz\":200", "\"hz\":200,\"force\":true"));
        assertEquals(1, p.rejected(Rejection.FORBIDDEN));
        p.doWork();
        assertEquals(null, next());
    }

    @Test
    void refusesOversizedRetainedAndMalformedMessagesBeforeParsingMore() {
        CommandProcessor p = processor();
        byte[] big = new byte[CommandSettings.DEFAULT_MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        assertEquals(CommandProcessor.Outcome.REJECTED, p.onMessage(big));
        assertEquals(1, p.rejected(Rejection.TOO_LARGE));
        p.onRetained(120);
        assertEquals(1, p.rejected(Rejection.RETAINED));
        for (String bad : List.of("", "[1]", "{\"cmd\":", "{\"cmd\":\"estop\"", "\"estop\"",
                "{\"robot\":\"r1\",\"key\":\"zz\",\"ctr\":1,\"cmd\":\"arm\",\"sig\":\"AA==\"}")) {
            assertEquals(CommandProcessor.Outcome.REJECTED, send(p, bad), bad);
        }
        assertEquals(6, p.rejected(Rejection.MALFORMED));
        assertEquals(0, mailbox.estopRequests(), "a broken message naming estop is not an estop");
    }

    @Test
    void aFloodIsCutByTheTokenBucketAndForgeriesByTheVerificationCap() {
        CommandProcessor p = processor(CommandSettings.of(op.trust(), CounterStore.inMemory())
                .withMaxPerSecond(100).withMaxVerifiesPerSecond(10));
        TestOperator forger = new TestOperator(ROBOT);
        int queued = 0;
        for (int i = 0; i < 1000; i++) {
            String forged = forger.sign(CommandKind.ARM).replaceAll("\"key\":\"[0-9a-f]+\"", "\"key\":\"" + op.keyId + "\"");
            if (send(p, forged) == CommandProcessor.Outcome.QUEUED) {
                queued++;
            }
            p.doWork();
        }
        assertEquals(100, queued, "one second's burst passes the gate");
        assertEquals(900 + 90, p.rejected(Rejection.RATE_LIMITED),
                "900 dropped at the gate, 90 past the 10 signature checks allowed in the second");
        assertEquals(10, p.rejected(Rejection.BAD_SIGNATURE), "only 10 signatures checked in the second");
        List<String> ev = events();
        assertTrue(ev.size() <= 20 + 1, "rejection events are capped: " + ev.size());
        clock.advance(1_000_000_000L);
        p.doWork();
        assertTrue(events().stream().anyMatch(e -> e.contains("\"event\":\"commands_rejected\"")), "a summary follows");
        send(p, op.sign(CommandKind.DISARM));
        p.doWork();
        assertEquals(CommandKind.DISARM, next(), "after the flood the operator is obeyed");
    }

    @Test
    void aResetOvertakenByAnEstopCarriesTheEstopCountItSaw() {
        CommandProcessor p = processor();
        send(p, op.sign(CommandKind.RESET));
        send(p, SignedCommand.estop());
        p.doWork();
        assertTrue(mailbox.peekSequence() > 0);
        long opWord = mailbox.pollOp();
        assertEquals(CommandKind.RESET, CommandMailbox.kindOf(opWord));
        assertEquals(0, CommandMailbox.argumentOf(opWord), "the reset arrived before the E-stop");
        assertEquals(1, mailbox.estopRequests());
    }
}
