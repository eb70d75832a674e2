package dev.chromatic.tools.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.BrokerSession;
import dev.chromatic.tools.cmd.OperatorSigner;
import dev.chromatic.tools.run.EmbeddedBroker;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's server: its endpoints, who may command the robot, and its bounds. */
class DashboardServerTest {

    private static final KeyPair OPERATOR = PolicyKeys.generate();
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static DashboardServer start(String robot, boolean withKey) throws Exception {
        return start(robot, withKey, InetAddress.getLoopbackAddress());
    }

    private static DashboardServer start(String robot, boolean withKey, InetAddress bind) throws Exception {
        return DashboardServer.start(new DashboardServer.Settings(robot, broker.url(), BrokerOptions.none(), bind, 0,
                withKey ? OperatorSigner.of(OPERATOR, robot) : null));
    }

    private static String csrf(DashboardServer d) throws Exception {
        RawHttp.Answer page = RawHttp.get(d.port(), "/");
        assertEquals(200, page.status(), page.body());
        Matcher m = Pattern.compile("<meta name=\"csrf\" content=\"([A-Za-z0-9_-]+)\">").matcher(page.body());
        assertTrue(m.find(), "the page carries its command token");
        return m.group(1);
    }

    /** Messages arriving on {@code topic} within {@code ms}. */
    private static List<String> received(BrokerSession s, long ms) throws InterruptedException {
        List<String> out = new ArrayList<>();
        long end = System.nanoTime() + ms * 1_000_000L;
        BrokerSession.Received r;
        while ((r = s.poll(end - System.nanoTime())) != null) {
            out.add(new String(r.payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, Object> snapshot(DashboardServer d) throws Exception {
        RawHttp.Answer a = RawHttp.get(d.port(), "/api/snapshot");
        assertEquals(200, a.status(), a.body());
        return Json.parseObject(a.body(), 1 << 22);
    }

    @Test
    void servesThePageItsScriptsAndUplotFromTheJar() throws Exception {
        try (DashboardServer d = start("r1", true)) {
            RawHttp.Answer page = RawHttp.get(d.port(), "/");
            assertEquals("DENY", page.header("X-Frame-Options"), "no framing: a hidden frame could click Arm");
            assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"));
            assertTrue(page.body().contains("<meta name=\"robot\" content=\"r1\">"), page.body());
            assertTrue(page.body().contains("<meta name=\"read-only\" content=\"false\">"));
            RawHttp.Answer uplot = RawHttp.get(d.port(), "/assets/uPlot.iife.min.js");
            assertEquals(200, uplot.status());
            assertTrue(uplot.body().contains("uPlot"), "uPlot from the webjar");
            assertTrue(uplot.header("Content-Type").startsWith("text/javascript"));
            assertEquals(200, RawHttp.get(d.port(), "/assets/dashboard.js").status());
            assertEquals(200, RawHttp.get(d.port(), "/assets/uPlot.min.css").status());
            assertEquals(404, RawHttp.get(d.port(), "/assets/../../etc/passwd").status());
            assertEquals(404, RawHttp.get(d.port(), "/api/nothing").status());
            assertEquals(405, RawHttp.exchange(d.port(), "DELETE / HTTP/1.1\r\nHost: localhost:" + d.port(), null).status());
        }
    }

    @Test
    void refusesAHostThatIsNotThisComputer() throws Exception {
        try (DashboardServer d = start("r1", true)) {
            RawHttp.Answer rebound = RawHttp.exchange(d.port(), "GET / HTTP/1.1\r\nHost: attacker.example:" + d.port(), null);
            assertEquals(403, rebound.status(), "a DNS-rebound name must not reach the page");
            assertEquals(403, RawHttp.exchange(d.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1:1", null).status(), "another port");
            assertEquals(200, RawHttp.exchange(d.port(), "GET / HTTP/1.1\r\nHost: localhost:" + d.port(), null).status());
            assertEquals(200, RawHttp.exchange(d.port(), "GET / HTTP/1.1\r\nHost: [::1]:" + d.port(), null).status());
        }
    }

    @Test
    void signsArmWithTheOperatorKeyAndRefusesCrossSiteRequests() throws Exception {
        try (DashboardServer d = start("r2", true);
             BrokerSession watch = BrokerSession.connect(broker.url(), "test", 5)) {
            watch.subscribe("chromatic/r2/cmd");
            String token = csrf(d);
            int port = d.port();
            String host = "POST /api/command/arm HTTP/1.1\r\nHost: 127.0.0.1:" + port;
            assertEquals(403, RawHttp.exchange(port, host, new byte[0]).status(), "no token header");
            assertEquals(403, RawHttp.exchange(port, host + "\r\n" + DashboardServer.CSRF_HEADER + ": wrong", new byte[0]).status());
            assertEquals(403, RawHttp.exchange(port, host + "\r\nOrigin: http://attacker.example\r\n"
                    + DashboardServer.CSRF_HEADER + ": " + token, new byte[0]).status(), "foreign Origin");
            assertEquals(403, RawHttp.exchange(port, host + "\r\nSec-Fetch-Site: cross-site\r\n"
                    + DashboardServer.CSRF_HEADER + ": " + token, new byte[0]).status(), "cross-site fetch");
            assertEquals(404, RawHttp.exchange(port, "GET /api/command/arm HTTP/1.1\r\nHost: 127.0.0.1:" + port, null).status(),
                    "commands are POSTs only");
            assertTrue(received(watch, 500).isEmpty(), "nothing refused reached the robot's cmd topic");
            assertTrue(d.refusedRequests() >= 4);

            RawHttp.Answer ok = RawHttp.post(port, "/api/command/arm", token);
            assertEquals(200, ok.status(), ok.body());
            Map<String, Object> sent = Json.parseObject(ok.body(), 4096);
            List<String> msgs = received(watch, 2000);
            assertEquals(1, msgs.size(), msgs.toString());
            Map<String, Object> m = Json.parseObject(msgs.get(0), 4096);
            assertEquals("arm", m.get("cmd"));
            assertEquals(sent.get("ctr"), m.get("ctr"));
            SignedCommand c = new SignedCommand("r2", (String) m.get("key"), (Long) m.get("ctr"), CommandKind.ARM, 0,
                    Base64.getDecoder().decode((String) m.get("sig")));
            assertTrue(c.verify(OPERATOR.getPublic()), "signed with the operator's key for robot r2");
            assertFalse(RawHttp.get(port, "/").body().contains((String) m.get("sig")));
        }
    }

    @Test
    void withoutAKeyOnlyEstopIsSent() throws Exception {
        try (DashboardServer d = start("r3", false);
             BrokerSession watch = BrokerSession.connect(broker.url(), "test", 5)) {
            watch.subscribe("chromatic/r3/cmd");
            assertTrue(d.readOnly());
            String token = csrf(d);
            for (String cmd : new String[] {"arm", "disarm", "reset"}) {
                RawHttp.Answer a = RawHttp.post(d.port(), "/api/command/" + cmd, token);
                assertEquals(403, a.status(), cmd);
                assertTrue(a.body().contains("read-only"), a.body());
            }
            assertEquals(404, RawHttp.post(d.port(), "/api/command/heartbeat", token).status(), "not a page command");
            assertEquals(404, RawHttp.post(d.port(), "/api/command/set_rate", token).status());
            assertTrue(received(watch, 300).isEmpty());
            assertEquals(200, RawHttp.post(d.port(), "/api/command/estop", token).status());
            assertEquals(List.of(SignedCommand.estop()), received(watch, 2000), "a bare estop: it needs no key");
        }
    }

    @Test
    void boundsRequestBodiesAndHeaders() throws Exception {
        try (DashboardServer d = start("r4", true)) {
            String token = csrf(d);
            String head = "POST /api/command/estop HTTP/1.1\r\nHost: 127.0.0.1:" + d.port() + "\r\n"
                    + DashboardServer.CSRF_HEADER + ": " + token;
            assertEquals(413, RawHttp.exchange(d.port(), head, new byte[DashboardServer.MAX_BODY_BYTES + 1]).status());
            assertEquals(413, RawHttp.exchange(d.port(), head + "\r\nContent-Length: 99999999999", null).status());
            RawHttp.Answer huge = RawHttp.exchange(d.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + d.port()
                    + "\r\nX-Filler: " + "a".repeat(DashboardServer.MAX_HEADER_BYTES * 2), null);
            assertTrue(huge.status() != 200, "oversized headers are not served: " + huge.status());
            assertEquals(200, RawHttp.get(d.port(), "/").status(), "still serving");
        }
    }

    @Test
    void capsOpenStreams() throws Exception {
        try (DashboardServer d = start("r5", false)) {
            List<RawHttp.Stream> open = new ArrayList<>();
            try {
                for (int i = 0; i < DashboardServer.MAX_STREAMS; i++) {
                    RawHttp.Stream s = new RawHttp.Stream(d.port(), "/events");
                    assertEquals(200, s.status);
                    assertNotNull(s.readUntil("event: hello", 5000));
                    open.add(s);
                }
                try (RawHttp.Stream extra = new RawHttp.Stream(d.port(), "/events")) {
                    assertEquals(503, extra.status, "one page more than the cap");
                }
                assertEquals(200, RawHttp.get(d.port(), "/api/snapshot").status(), "the rest still answers");
            } finally {
                for (RawHttp.Stream s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void streamsTheRobotAndCountsBadMessagesWithoutFailing() throws Exception {
        try (DashboardServer d = start("r6", false);
             BrokerSession robot = BrokerSession.connect(broker.url(), "robot", 5);
             RawHttp.Stream page = new RawHttp.Stream(d.port(), "/events")) {
            assertNotNull(page.readUntil("event: hello", 5000));
            String p = "chromatic/r6/";
            robot.publish(p + "state", "not json".getBytes(StandardCharsets.UTF_8), false);
            robot.publish(p + "events", "[1,2]".getBytes(StandardCharsets.UTF_8), false);
            robot.publish(p + "telemetry/json", new byte[RobotFeed.MAX_TELEMETRY_BYTES + 1], false);
            robot.publish(p + "telemetry/json", "{\"timestamp\":".getBytes(StandardCharsets.UTF_8), false);
            robot.publish(p + "state", "{\"robot_id\":\"r6\",\"online\":true,\"state\":\"safe\",\"safe_reason\":\"estop_command\"}"
                    .getBytes(StandardCharsets.UTF_8), true);
            robot.publish(p + "events", "{\"event\":\"safe_state\",\"reason\":\"estop_command\",\"time_ms\":1}"
                    .getBytes(StandardCharsets.UTF_8), false);
            for (int i = 0; i < 3; i++) {
                robot.publish(p + "telemetry/json", ("{\"timestamp\":" + (10 + 0.05 * i) + ",\"roll_rad\":0.01,\"cycle\":" + i + "}")
                        .getBytes(StandardCharsets.UTF_8), false);
            }
            String seen = page.readUntil("\"cycle\":2", 5000);
            assertNotNull(seen, "the page's stream got the telemetry");
            assertTrue(seen.contains("event: state\ndata: {\"robot_id\":\"r6\",\"online\":true,\"state\":\"safe\""), seen);
            assertTrue(seen.contains("event: event\ndata: {\"event\":\"safe_state\""), seen);
            Map<String, Object> snap = snapshot(d);
            assertEquals(4L, snap.get("bad_messages"), snap.toString());
            assertEquals(3L, snap.get("telemetry_received"));
            assertEquals("estop_command", Json.at(snap, "state.safe_reason"));
            assertNull(Json.at(snap, "state.nothing"));
        }
    }

    @Test
    void keepsTheLastEventsOnlyAndCountsLostTelemetry() throws Exception {
        MqttClient robot = new MqttClient(broker.url(), "robot-r7", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        robot.connect(o);
        try (DashboardServer d = start("r7", false)) {
            String p = "chromatic/r7/";
            int total = RobotFeed.EVENT_LOG + 50;
            for (int i = 0; i < total; i++) {
                robot.publish(p + "events", ("{\"event\":\"overrun\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), 1, false);
            }
            // 20 Hz, with messages 30, 31 and 32 never sent: three lost
            for (int i = 0; i < 40; i++) {
                if (i < 30 || i > 32) {
                    robot.publish(p + "telemetry/json", ("{\"timestamp\":" + (100 + 0.05 * i) + "}").getBytes(StandardCharsets.UTF_8), 1, false);
                }
            }
            long end = System.nanoTime() + 10_000_000_000L;
            Map<String, Object> snap = snapshot(d);
            while (((Long) snap.get("telemetry_received") < 37 || ((List<?>) snap.get("events")).size() < RobotFeed.EVENT_LOG
                    || !snap.toString().contains("n=" + (total - 1))) && System.nanoTime() - end < 0) {
                Thread.sleep(50);
                snap = snapshot(d);
            }
            List<?> events = (List<?>) snap.get("events");
            assertEquals(RobotFeed.EVENT_LOG, events.size(), "the log keeps its length");
            assertEquals((long) total - RobotFeed.EVENT_LOG, ((Map<?, ?>) events.get(0)).get("n"), "the oldest fell out");
            assertEquals((long) total - 1, ((Map<?, ?>) events.get(events.size() - 1)).get("n"));
            assertEquals(37L, snap.get("telemetry_received"));
            assertEquals(3L, snap.get("telemetry_missed"));
        } finally {
            robot.disconnect();
            robot.close();
        }
    }

    @Test
    void heartbeatsOnlyWhileAPageSaysItIsOpen() throws Exception {
        try (DashboardServer d = start("r8", true);
             BrokerSession watch = BrokerSession.connect(broker.url(), "test", 5)) {
            watch.subscribe("chromatic/r8/cmd");
            assertTrue(received(watch, 800).isEmpty(), "no page yet: no heartbeat");
            String token = csrf(d);
            RawHttp.Answer alive = RawHttp.post(d.port(), "/api/alive", token);
            assertEquals(200, alive.status(), alive.body());
            List<String> beats = received(watch, 1000);
            assertFalse(beats.isEmpty(), "a page said it is open");
            for (String b : beats) {
                assertEquals("heartbeat", Json.parseObject(b, 4096).get("cmd"));
            }
            Thread.sleep(DashboardServer.PAGE_ALIVE_MS + 500);
            received(watch, 0);
            assertTrue(received(watch, 1000).isEmpty(), "the page went quiet: the heartbeat stops");
        }
    }

    @Test
    void offLoopbackEveryRequestNeedsTheLoginToken() throws Exception {
        try (DashboardServer d = start("r9", true, InetAddress.getByName("0.0.0.0"))) {
            String url = d.url();
            assertTrue(url.contains("/login?token="), url);
            String token = url.substring(url.indexOf("token=") + 6);
            int port = d.port();
            assertEquals(401, RawHttp.get(port, "/").status());
            assertEquals(401, RawHttp.get(port, "/events").status());
            assertEquals(401, RawHttp.get(port, "/login?token=" + "x".repeat(token.length())).status());
            RawHttp.Answer login = RawHttp.get(port, "/login?token=" + token);
            assertEquals(303, login.status());
            String cookie = login.header("Set-Cookie");
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            String pair = cookie.substring(0, cookie.indexOf(';'));
            RawHttp.Answer page = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: robot-host:" + port + "\r\nCookie: " + pair, null);
            assertEquals(200, page.status(), page.body());
            assertEquals(401, RawHttp.exchange(port, "POST /api/command/estop HTTP/1.1\r\nHost: robot-host:" + port, new byte[0]).status(),
                    "even estop needs the login off loopback");
        }
    }
}
