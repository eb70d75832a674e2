package dev.chromatic.runtime.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandProcessorTest {

    private final ManualNanoClock clock = new ManualNanoClock(1);
    private final CommandMailbox mailbox = new CommandMailbox(8);
    private final EventOutbox outbox = new EventOutbox(64);
    private final CommandProcessor processor = new CommandProcessor(mailbox, outbox, clock, 1000);

    private CommandProcessor.Outcome send(String json) {
        clock.advance(10_000_000L);
        return processor.onMessage(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void appliesEachSequenceNumberOnce() {
        assertEquals(CommandProcessor.Outcome.ACCEPTED, send("{\"seq\": 5, \"cmd\": \"arm\"}"));
        assertEquals(CommandProcessor.Outcome.DUPLICATE, send("{\"seq\": 5, \"cmd\": \"arm\"}"));
        assertEquals(CommandProcessor.Outcome.DUPLICATE, send("{\"seq\": 3, \"cmd\": \"disarm\"}"), "a replay");
        assertEquals(CommandProcessor.Outcome.ACCEPTED, send("{\"seq\": 6, \"cmd\": \"set-rate\", \"hz\": 200, \"force\": true}"));
        assertEquals(5, mailbox.peekSequence());
        assertEquals(CommandKind.ARM, CommandMailbox.kindOf(mailbox.pollOp()));
        assertEquals(6, mailbox.peekSequence());
        long op = mailbox.pollOp();
        assertEquals(CommandKind.SET_RATE, CommandMailbox.kindOf(op));
        assertEquals(200, CommandMailbox.argumentOf(op));
        assertTrue(CommandMailbox.forceOf(op));
        assertEquals(-1, mailbox.peekSequence());
    }

    @Test
    void rejectsMalformedCommandsWithAnEventNamingTheProblem() {
        List<String> bad = List.of("{\"seq\": 1, \"cmd\": \"arm\"", "[1,2]", "{\"cmd\": \"arm\"}",
                "{\"seq\": 0, \"cmd\": \"arm\"}", "{\"seq\": 1, \"cmd\": \"fly\"}", "{\"seq\": 1, \"cmd\": \"arm\", \"x\": 1}",
                "{\"seq\": 1, \"cmd\": \"set-rate\", \"hz\": 5000}", "{\"seq\": 1.5, \"cmd\": \"arm\"}", "\u0000\u00ff");
        for (String b : bad) {
            assertEquals(CommandProcessor.Outcome.MALFORMED, send(b), b);
        }
        assertEquals(bad.size(), processor.malformed());
        String first = outbox.poll();
        assertTrue(first.contains("\"event\":\"command_rejected\"") && first.contains("expected ',' or '}'"), first);
        assertTrue(outbox.poll().contains("expected a JSON object"));
        assertTrue(outbox.poll().contains("missing field \\\"seq\\\""));
        assertEquals(-1, mailbox.peekSequence(), "nothing reached the loop");
    }

    @Test
    void dropsAFloodBeyondTheRateButNeverAnEstop() {
        CommandProcessor slow = new CommandProcessor(new CommandMailbox(1024), outbox, clock, 10);
        int accepted = 0;
        for (int i = 1; i <= 100; i++) {
            if (slow.onMessage(("{\"seq\": " + i + ", \"cmd\": \"disarm\"}").getBytes(StandardCharsets.UTF_8))
                    == CommandProcessor.Outcome.ACCEPTED) {
                accepted++;
            }
        }
        assertEquals(10, accepted, "a burst of one second's worth");
        assertEquals(90, slow.rateLimited());
        assertEquals(CommandProcessor.Outcome.ACCEPTED,
                slow.onMessage("{\"seq\": 1000, \"cmd\": \"estop\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsWhenTheLoopsMailboxIsFull() {
        for (int i = 1; i <= 8; i++) {
            assertEquals(CommandProcessor.Outcome.ACCEPTED, send("{\"seq\": " + i + ", \"cmd\": \"disarm\"}"));
        }
        assertEquals(CommandProcessor.Outcome.MAILBOX_FULL, send("{\"seq\": 9, \"cmd\": \"disarm\"}"));
        assertTrue(outbox.poll().contains("command queue full"));
        mailbox.peekSequence();
        mailbox.pollOp();
        assertEquals(CommandProcessor.Outcome.ACCEPTED, send("{\"seq\": 9, \"cmd\": \"disarm\"}"),
                "a refused sequence number may be sent again");
    }

    @Test
    void jsonReaderIsStrictAndWriterRoundTrips() throws Exception {
        assertThrows(JsonFormatException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(JsonFormatException.class, () -> Json.parse("{\"a\":01}"));
        assertThrows(JsonFormatException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(JsonFormatException.class, () -> Json.parse("[[[[[[[[[[1]]]]]]]]]]"));
        assertThrows(JsonFormatException.class, () -> Json.parse("\"a\\qb\""));
        assertThrows(JsonFormatException.class, () -> Json.parse("1e999"));
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("s", "q\"uote\\ \n\u0001");
        m.put("n", 3L);
        m.put("d", 0.25);
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1L, "x"));
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(Json.write(m));
        assertEquals(m, back);
        assertNull(Json.parse("null"));
    }
}
