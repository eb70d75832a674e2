package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.policy.PolicyCodec;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.TrustedKeys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyUpdateServiceTest {

    private static final KeyPair KEYS = PolicyKeys.generate();
    private static final TrustedKeys TRUST = TrustedKeys.of(KEYS.getPublic());
    private static final long WINDOW_NS = 3_000_000_000L;
    /** Checks of the envelope, all made before a payload byte is parsed. */
    private static final Set<String> ENVELOPE_FIELDS = Set.of(
            "file", "magic", "format_version", "flags", "policy_version", "payload_length", "file_length",
            "sha256", "key_id", "signature");

    @TempDir
    Path dir;

    private final ManualNanoClock clock = new ManualNanoClock(1_000L);
    private final List<InstalledPolicy> offered = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private int builds;
    /** The robot rests while files arrive unless a test arms it (a file arriving armed is only staged). */
    private boolean armed;
    private PolicyStore store;
    private PolicyUpdateService service;

    @BeforeEach
    void start() throws Exception {
        restart();
    }

    private void restart() throws Exception {
        PolicyFileOpener opener = PolicyFileOpener.signedBy(TRUST);
        store = PolicyStore.open(dir, PolicyFileOpener.verifierFor(opener));
        service = new PolicyUpdateService(new PolicyUpdateService.Config(store, opener,
                new PolicyCompatibility("minitaur", SignedPolicies.STACK, SignedPolicies.OBS, SignedPolicies.ACT,
                        SignedPolicies.PERIOD_NS),
                RobotSpec.minitaur(), p -> {
                    builds++;
                    return new FakeStep(p);
                }, offered::add, events::add, new HealthWindow(WINDOW_NS), () -> armed, clock, 1 << 20));
    }

    private String deliver(byte[] file) {
        int before = events.size();
        assertTrue(service.submit(file));
        service.doWork();
        assertEquals(before + 1, events.size(), "one verdict per file");
        return events.get(events.size() - 1);
    }

    private static void assertVerdict(String verdict, String json) {
        assertTrue(json.contains("\"verdict\":\"" + verdict + "\""), json);
    }

    private static String field(String json) {
        int at = json.indexOf("\"field\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + 9;
        return json.substring(from, json.indexOf('"', from));
    }

    @Test
    void acceptsASignedCompatiblePolicyStoresItAndOffersItToTheLoop() throws Exception {
        byte[] file = SignedPolicies.sign(SignedPolicies.policy(1), KEYS, 7);
        String verdict = deliver(file);
        assertVerdict("accepted", verdict);
        assertEquals(1, offered.size());
        InstalledPolicy p = offered.get(0);
        assertEquals(7, p.policyVersion());
        assertTrue(p.verified());
        assertEquals(StoreRecord.sha256Hex(file), p.sha256Hex());
        assertEquals(SignedPolicies.PERIOD_NS, p.controlPeriodNs());
        assertEquals(p.sha256Hex(), store.active().orElseThrow().sha256Hex());
        assertTrue(verdict.contains(p.sha256Hex()), verdict);
        assertTrue(service.stateJson().contains("\"installed_version\":7"), service.stateJson());
    }

    @Test
    void rejectsEverySingleBitFlipBeforeParsing() throws Exception {
        byte[] file = SignedPolicies.sign(SignedPolicies.policy(2), KEYS, 3);
        for (int bit = 0; bit < file.length * 8; bit++) {
            byte[] bad = file.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            String verdict = deliver(bad);
            assertVerdict("rejected", verdict);
            String f = field(verdict);
            if (!ENVELOPE_FIELDS.contains(f)) {
                fail("bit " + bit + " was rejected by a payload check '" + f + "', i.e. after parsing: " + verdict);
            }
        }
        assertEquals(0, builds);
        assertTrue(offered.isEmpty());
        assertTrue(store.active().isEmpty());
        assertVerdict("accepted", deliver(file));
    }

    @Test
    void acceptsASignedCompactPolicyLikeAFullOne() throws Exception {
        byte[] file = SignedPolicies.signCompact(SignedPolicies.policy(11), KEYS, 8);
        assertVerdict("accepted", deliver(file));
        assertEquals(1, offered.size());
        assertEquals(8, offered.get(0).policyVersion());
        assertEquals(StoreRecord.sha256Hex(file), store.active().orElseThrow().sha256Hex());
    }

    @Test
    void rejectsEverySingleBitFlipOfASignedCompactFileBeforeParsing() throws Exception {
        byte[] file = SignedPolicies.signCompact(SignedPolicies.policy(12), KEYS, 3);
        for (int bit = 0; bit < file.length * 8; bit++) {
            byte[] bad = file.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            String verdict = deliver(bad);
            assertVerdict("rejected", verdict);
            if (!ENVELOPE_FIELDS.contains(field(verdict))) {
                fail("bit " + bit + " was rejected by a payload check '" + field(verdict) + "', i.e. after parsing: " + verdict);
            }
        }
        assertEquals(0, builds);
        assertVerdict("accepted", deliver(file));
    }

    @Test
    void rejectsEveryTruncationAndAppendedGarbage() throws Exception {
        byte[] file = SignedPolicies.sign(SignedPolicies.policy(3), KEYS, 3);
        for (int n = 0; n < file.length; n++) {
            String verdict = deliver(Arrays.copyOf(file, n));
            assertVerdict("rejected", verdict);
            assertTrue(ENVELOPE_FIELDS.contains(field(verdict)), verdict);
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int extra = 1; extra <= 64; extra++) {
            byte[] longer = Arrays.copyOf(file, file.length + extra);
            for (int i = file.length; i < longer.length; i++) {
                longer[i] = (byte) random.nextInt(256);
            }
            String verdict = deliver(longer);
            assertVerdict("rejected", verdict);
            assertTrue(ENVELOPE_FIELDS.contains(field(verdict)), verdict);
        }
        assertEquals(0, builds);
        assertTrue(store.active().isEmpty());
    }

    @Test
    void rejectsAPolicySignedByAnUnknownKey() throws Exception {
        byte[] file = SignedPolicies.sign(SignedPolicies.policy(4), PolicyKeys.generate(), 3);
        String verdict = deliver(file);
        assertVerdict("rejected", verdict);
        assertEquals("key_id", field(verdict));
        assertTrue(offered.isEmpty());
    }

    @Test
    void rejectsAStrippedSignature() throws Exception {
        byte[] signed = SignedPolicies.sign(SignedPolicies.policy(5), KEYS, 3);
        byte[] unsigned = PolicyEnvelope.seal(PolicyCodec.encode(SignedPolicies.policy(5)), 3);
        String verdict = deliver(unsigned);
        assertVerdict("rejected", verdict);
        assertEquals("signature", field(verdict));

        byte[] cut = Arrays.copyOf(signed, signed.length - PolicyEnvelope.KEY_ID_BYTES - PolicyEnvelope.SIGNATURE_BYTES);
        cut[10] = 0;
        assertVerdict("rejected", deliver(cut));

        byte[] zeroed = signed.clone();
        Arrays.fill(zeroed, signed.length - PolicyEnvelope.SIGNATURE_BYTES, signed.length, (byte) 0);
        String z = deliver(zeroed);
        assertVerdict("rejected", z);
        assertEquals("signature", field(z));
        assertTrue(offered.isEmpty());
    }

    @Test
    void rejectsAVersionNotNewerThanTheInstalledOneAlsoAfterARestart() throws Exception {
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(6), KEYS, 5)));
        String same = deliver(SignedPolicies.sign(SignedPolicies.policy(7), KEYS, 5));
        assertVerdict("rejected", same);
        assertEquals("policy_version", field(same));
        assertVerdict("rejected", deliver(SignedPolicies.sign(SignedPolicies.policy(7), KEYS, 4)));

        restart();
        String old = deliver(SignedPolicies.sign(SignedPolicies.policy(8), KEYS, 3));
        assertVerdict("rejected", old);
        assertEquals("policy_version", field(old));
        assertEquals(5, store.active().orElseThrow().version());
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(8), KEYS, 6)));
    }

    @Test
    void rejectsWrongDimensionsStackAndControlPeriod() throws Exception {
        String obs = deliver(SignedPolicies.sign(SignedPolicies.policy(4, 2, 9), KEYS, 3));
        assertVerdict("rejected", obs);
        assertEquals("layer_sizes[0]", field(obs));
        String act = deliver(SignedPolicies.sign(SignedPolicies.policy(3, 5, 9), KEYS, 3));
        assertVerdict("rejected", act);
        assertEquals("layer_sizes[2]", field(act));

        var stack = SignedPolicies.policy(10).toBuilder();
        stack.stack = "minitaur-direct";
        assertEquals("stack", field(deliver(SignedPolicies.sign(stack.build(), KEYS, 3))));
        var period = SignedPolicies.policy(10).toBuilder();
        period.controlPeriodNs = 1_000_000L;
        assertEquals("control_period_ns", field(deliver(SignedPolicies.sign(period.build(), KEYS, 3))));
        assertEquals(0, builds);
        assertTrue(store.active().isEmpty());
        assertEquals(0, store.installedVersion());
    }

    @Test
    void rejectsNanWeightsInAProperlySignedFile() throws Exception {
        String verdict = deliver(SignedPolicies.sign(SignedPolicies.payloadWithNanWeight(11), KEYS, 3));
        assertVerdict("rejected", verdict);
        assertTrue(field(verdict).startsWith("shared_weights"), verdict);
        assertEquals(0, builds);
        assertTrue(offered.isEmpty());
    }

    @Test
    void aPolicyThatTripsTheSafetySupervisorInsideTheWindowIsRolledBack() throws Exception {
        byte[] good = SignedPolicies.sign(SignedPolicies.policy(12), KEYS, 1);
        byte[] falls = SignedPolicies.sign(SignedPolicies.policy(13), KEYS, 2);
        assertVerdict("accepted", deliver(good));
        armed = true;
        clock.advance(WINDOW_NS);
        service.doWork();
        assertVerdict("kept", events.get(events.size() - 1));

        armed = false;
        assertVerdict("accepted", deliver(falls));
        armed = true;
        service.doWork();
        clock.advance(WINDOW_NS / 2);
        service.health().onTrip(Reason.ROLL_LIMIT, 0, 0);
        service.doWork();
        String rollback = events.get(events.size() - 1);
        assertVerdict("rolled_back", rollback);
        assertTrue(rollback.contains("roll_limit"), rollback);
        assertTrue(rollback.contains(StoreRecord.sha256Hex(falls)), rollback);
        InstalledPolicy last = offered.get(offered.size() - 1);
        assertEquals(1, last.policyVersion());
        assertEquals(StoreRecord.sha256Hex(good), last.sha256Hex());
        assertEquals(1, store.active().orElseThrow().version());

        restart();
        assertTrue(service.boot());
        assertEquals(1, offered.get(offered.size() - 1).policyVersion());
        assertVerdict("rejected", deliver(falls));
    }

    @Test
    void aTripAfterTheWindowClosedDoesNotRollBack() throws Exception {
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(14), KEYS, 1)));
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(15), KEYS, 2)));
        armed = true;
        service.doWork();
        clock.advance(WINDOW_NS);
        service.doWork();
        assertVerdict("kept", events.get(events.size() - 1));
        service.health().onTrip(Reason.PITCH_LIMIT, 0, 0);
        int before = events.size();
        service.doWork();
        assertEquals(before, events.size());
        assertEquals(2, store.active().orElseThrow().version());
    }

    @Test
    void theWindowCountsOnlyArmedTimeSoAPolicyFlashedAtRestIsJudgedWhenItWalks() throws Exception {
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(18), KEYS, 1)));
        armed = true;
        service.doWork();
        clock.advance(WINDOW_NS);
        service.doWork();
        assertVerdict("kept", events.get(events.size() - 1));
        armed = false;
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(19), KEYS, 2)));
        clock.advance(10 * WINDOW_NS);
        service.doWork();
        assertVerdict("accepted", events.get(events.size() - 1));
        armed = true;
        service.doWork();
        clock.advance(WINDOW_NS / 2);
        service.doWork();
        service.health().onTrip(dev.chromatic.runtime.events.Reason.PITCH_LIMIT, 0L, 1L);
        service.doWork();
        assertVerdict("rolled_back", events.get(events.size() - 1));
        assertTrue(events.get(events.size() - 1).contains("pitch_limit"));
        assertEquals(1, store.active().orElseThrow().version());
    }

    @Test
    void aPolicyArrivingWhileArmedIsStagedAndInstalledAtTheNextDisarm() throws Exception {
        byte[] one = SignedPolicies.sign(SignedPolicies.policy(40), KEYS, 1);
        byte[] two = SignedPolicies.sign(SignedPolicies.policy(41), KEYS, 2);
        assertVerdict("accepted", deliver(one));
        armed = true;
        service.doWork();
        clock.advance(WINDOW_NS);
        service.doWork();
        assertVerdict("kept", events.get(events.size() - 1));
        assertEquals(false, service.stateFields().get("health_window_open"));
        assertTrue(service.stateJson().contains("\"health_window_open\":false"), service.stateJson());

        String staged = deliver(two);
        assertVerdict("staged", staged);
        assertTrue(staged.contains(StoreRecord.sha256Hex(two)), staged);
        assertTrue(staged.contains("\"pending\":{\"slot\":\"b\""), staged);
        assertEquals(1, offered.size(), "nothing offered to an armed loop");
        assertEquals(1, store.active().orElseThrow().version());
        assertEquals(1, store.installedVersion());
        @SuppressWarnings("unchecked")
        var pending = (java.util.Map<String, Object>) service.stateFields().get("pending");
        assertEquals(2L, pending.get("version"));

        String older = deliver(SignedPolicies.sign(SignedPolicies.policy(42), KEYS, 2));
        assertVerdict("rejected", older);
        assertEquals("policy_version", field(older));
        clock.advance(10 * WINDOW_NS);
        int before = events.size();
        service.doWork();
        assertEquals(before, events.size(), "still armed: still pending");
        assertEquals(1, offered.size());

        armed = false;
        service.doWork();
        assertVerdict("accepted", events.get(events.size() - 1));
        assertEquals(2, offered.size());
        assertEquals(StoreRecord.sha256Hex(two), offered.get(1).sha256Hex());
        assertEquals(2, store.active().orElseThrow().version());
        assertEquals(1, store.previous().orElseThrow().version());
        assertEquals(2, store.installedVersion());
        assertEquals(null, service.stateFields().get("pending"));
        assertTrue(service.health().isOpen(), "the staged policy is judged once it walks");
    }

    @Test
    void aNewerFileReplacesAStagedOneAndARestartForgetsAStagedOne() throws Exception {
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(43), KEYS, 1)));
        armed = true;
        service.doWork();
        clock.advance(WINDOW_NS);
        service.doWork();
        assertVerdict("staged", deliver(SignedPolicies.sign(SignedPolicies.policy(44), KEYS, 2)));
        byte[] three = SignedPolicies.sign(SignedPolicies.policy(45), KEYS, 3);
        assertVerdict("staged", deliver(three));
        armed = false;
        service.doWork();
        assertVerdict("accepted", events.get(events.size() - 1));
        assertEquals(3, store.active().orElseThrow().version());
        assertEquals(StoreRecord.sha256Hex(three), offered.get(offered.size() - 1).sha256Hex());

        armed = true;
        service.doWork();
        clock.advance(WINDOW_NS);
        service.doWork();
        assertVerdict("staged", deliver(SignedPolicies.sign(SignedPolicies.policy(46), KEYS, 4)));
        restart();
        assertEquals(3, store.active().orElseThrow().version());
        assertEquals(3, store.installedVersion());
        assertEquals(null, service.stateFields().get("pending"));
        assertVerdict("staged", deliver(SignedPolicies.sign(SignedPolicies.policy(46), KEYS, 4)));
    }

    @Test
    void whileArmedInsideAHealthWindowANewFileIsRefusedSoTheRollbackTargetStays() throws Exception {
        byte[] one = SignedPolicies.sign(SignedPolicies.policy(47), KEYS, 1);
        assertVerdict("accepted", deliver(one));
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(48), KEYS, 2)));
        armed = true;
        service.doWork();
        String refused = deliver(SignedPolicies.sign(SignedPolicies.policy(49), KEYS, 3));
        assertVerdict("rejected", refused);
        assertEquals("health_window", field(refused));
        assertEquals(1, store.previous().orElseThrow().version());
        service.health().onTrip(Reason.NON_FINITE_ACTION, 0, 0);
        service.doWork();
        assertVerdict("rolled_back", events.get(events.size() - 1));
        assertEquals(StoreRecord.sha256Hex(one), offered.get(offered.size() - 1).sha256Hex());
    }

    @Test
    void operatorLinkAndSensorTripsInsideTheWindowDoNotRollBack() throws Exception {
        for (Reason r : List.of(Reason.ESTOP_COMMAND, Reason.ESTOP_INPUT, Reason.LINK_LOST, Reason.SENSORS_STALE,
                Reason.SENSORS_INVALID)) {
            armed = false;
            long v = store.installedVersion() + 1;
            assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(50 + v), KEYS, v)));
            armed = true;
            service.doWork();
            clock.advance(WINDOW_NS / 2);
            service.doWork();
            service.health().onTrip(r, 0, 0);
            armed = false; // the trip latched the safe state
            service.doWork();
            assertTrue(events.stream().noneMatch(e -> e.contains("\"rolled_back\"")), r.wireName() + ": " + events);
            assertEquals(v, store.active().orElseThrow().version(), r.wireName());
            armed = true; // reset and re-armed: the rest of the window is judged
            service.doWork();
            clock.advance(WINDOW_NS / 2);
            service.doWork();
            assertVerdict("kept", events.get(events.size() - 1));
        }
        for (Reason r : List.of(Reason.ROLL_LIMIT, Reason.PITCH_LIMIT, Reason.NON_FINITE_ACTION, Reason.OVERRUNS,
                Reason.CONTROLLER_FAULT)) {
            armed = false;
            long v = store.installedVersion() + 1;
            long good = store.active().orElseThrow().version();
            assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(50 + v), KEYS, v)));
            armed = true;
            service.doWork();
            clock.advance(WINDOW_NS / 2);
            service.health().onTrip(r, 0, 0);
            service.doWork();
            String verdict = events.get(events.size() - 1);
            assertVerdict("rolled_back", verdict);
            assertTrue(verdict.contains(r.wireName()), verdict);
            assertEquals(good, store.active().orElseThrow().version(), r.wireName());
            clock.advance(WINDOW_NS);
            service.doWork(); // the rolled-back-to policy is not under a window
        }
    }

    @Test
    void aPolicyTheLoopRefusesIsRejectedAndTheStoreKeepsTheOldOne() throws Exception {
        assertVerdict("accepted", deliver(SignedPolicies.sign(SignedPolicies.policy(20), KEYS, 1)));
        PolicyFileOpener opener = PolicyFileOpener.signedBy(TRUST);
        PolicyUpdateService refusing = new PolicyUpdateService(new PolicyUpdateService.Config(store, opener,
                new PolicyCompatibility("minitaur", SignedPolicies.STACK, SignedPolicies.OBS, SignedPolicies.ACT,
                        SignedPolicies.PERIOD_NS),
                RobotSpec.minitaur(), FakeStep::new, p -> {
                    throw new IllegalArgumentException("rate mismatch");
                }, events::add, new HealthWindow(WINDOW_NS), () -> false, clock, 1 << 20));
        assertTrue(refusing.submit(SignedPolicies.sign(SignedPolicies.policy(21), KEYS, 2)));
        refusing.doWork();
        String verdict = events.get(events.size() - 1);
        assertVerdict("rejected", verdict);
        assertEquals("loop", field(verdict));
        assertEquals(1, store.active().orElseThrow().version());
    }

    @Test
    void bootOffersTheStoredPolicyAfterARestart() throws Exception {
        byte[] file = SignedPolicies.sign(SignedPolicies.policy(16), KEYS, 4);
        assertVerdict("accepted", deliver(file));
        restart();
        offered.clear();
        assertTrue(service.boot());
        assertEquals(1, offered.size());
        assertEquals(StoreRecord.sha256Hex(file), offered.get(0).sha256Hex());
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateFieldsCarryActiveAndPreviousSlotsAndTheLastVerdict() throws Exception {
        byte[] one = SignedPolicies.sign(SignedPolicies.policy(22), KEYS, 1);
        byte[] two = SignedPolicies.sign(SignedPolicies.policy(23), KEYS, 2);
        deliver(one);
        deliver(two);
        deliver(one);
        var f = service.stateFields();
        var active = (java.util.Map<String, Object>) f.get("active");
        var previous = (java.util.Map<String, Object>) f.get("previous");
        var last = (java.util.Map<String, Object>) f.get("last_verdict");
        assertEquals(2L, active.get("version"));
        assertEquals(StoreRecord.sha256Hex(two), active.get("sha256"));
        assertEquals(1L, previous.get("version"));
        assertEquals(StoreRecord.sha256Hex(one), previous.get("sha256"));
        assertEquals(2L, f.get("installed_version"));
        assertEquals("rejected", last.get("verdict"));
        assertEquals("policy_version", last.get("field"));
        assertTrue(((String) last.get("reason")).contains("not newer"), last.toString());
    }

    @Test
    void aThirdFileWhileTwoWaitIsRejectedAsBusy() throws Exception {
        byte[] file = SignedPolicies.sign(SignedPolicies.policy(17), KEYS, 4);
        assertTrue(service.submit(file));
        assertTrue(service.submit(file));
        assertFalse(service.submit(file));
        assertEquals("busy", field(events.get(events.size() - 1)));
    }
}
