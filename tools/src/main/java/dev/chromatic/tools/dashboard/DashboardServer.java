package dev.chromatic.tools.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.telemetry.Topics;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.cmd.OperatorSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The dashboard's web server (the JDK's built-in HTTP server): the page and its scripts from the
 * jar, the robot's live feed as server-sent events, and POST endpoints that publish arm, disarm,
 * reset (signed with the operator's key, which never leaves this process) and estop (bare: it needs
 * no key). While a page is open and a key is loaded it sends the operator heartbeat.
 *
 * <p>Security (docs/dashboard.md): bound to loopback, only requests naming a loopback Host are
 * served (no DNS rebinding); bound elsewhere, every request needs the login token, handed out once
 * as a URL and kept in an HttpOnly, SameSite=Strict cookie. Command requests must carry the page's
 * random token in a header and, when the browser names it, the server's own Origin. Without a key
 * only estop is accepted. Connections, streams, request headers and bodies are capped.
 */
public final class DashboardServer implements AutoCloseable {

    /** What to serve: which robot on which broker, where, and with which operator key (null: read-only). */
    public record Settings(String robotId, String brokerUrl, BrokerOptions broker, InetAddress bind, int port,
                           OperatorSigner signer) {
    }

    static final int MAX_CONNECTIONS = 32;
    static final int MAX_STREAMS = 8;
    static final int STREAM_QUEUE = 256;
    static final int MAX_BODY_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final long HEARTBEAT_MS = 250;
    /** A page that has not said it is alive for this long no longer keeps the robot's operator link up. */
    static final long PAGE_ALIVE_MS = 2000;
    static final String CSRF_HEADER = "X-Chromatic-Csrf";
    static final String COOKIE = "chromatic_dashboard";
    private static final String ASSETS = "/dev/chromatic/tools/dashboard/";

    private final Settings settings;
    private final boolean loopback;
    private final String loginToken;
    private final String csrfToken;
    private final EventStreams streams;
    private final RobotFeed feed;
    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeat;
    private final Map<String, Asset> assets;
    private final AtomicLong heartbeatsSent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile long pageAliveNs;
    private volatile boolean pageAliveEver;

    private record Asset(String contentType, byte[] bytes) {
    }

    private DashboardServer(Settings settings, EventStreams streams, RobotFeed feed, HttpServer http, ExecutorService workers,
            ScheduledExecutorService heartbeat, Map<String, Asset> assets, String loginToken, String csrfToken) {
        this.settings = settings;
        this.loopback = settings.bind().isLoopbackAddress();
        this.streams = streams;
        this.feed = feed;
        this.http = http;
        this.workers = workers;
        this.heartbeat = heartbeat;
        this.assets = assets;
        this.loginToken = loginToken;
        this.csrfToken = csrfToken;
    }

    /**
     * Connects to the broker and starts serving.
     *
     * @throws BadInputException for a bad robot id or port, or broker options that do not fit the URL
     * @throws IOException when the port cannot be bound or the broker cannot be reached
     */
    public static DashboardServer start(Settings s) throws IOException {
        if (s.robotId() == null || !Topics.isValidRobotId(s.robotId())) {
            throw new BadInputException("--robot '" + s.robotId() + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (s.port() < 0 || s.port() > 65535) {
            throw new BadInputException("--port must be 0..65535, was " + s.port());
        }
        Map<String, Asset> assets = loadAssets();
        capHttpServer();
        SecureRandom random = new SecureRandom();
        String login = s.bind().isLoopbackAddress() ? null : token(random);
        String csrf = token(random);
        RobotFeed feed;
        EventStreams streams = new EventStreams(MAX_STREAMS, STREAM_QUEUE);
        try {
            feed = RobotFeed.connect(s.brokerUrl(), s.broker() == null ? BrokerOptions.none() : s.broker(), s.robotId(),
                    s.signer(), streams, 10);
        } catch (MqttException e) {
            throw new IOException("cannot connect to broker " + s.brokerUrl() + ": " + e.getMessage(), e);
        }
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(s.bind(), s.port()), 16);
        } catch (IOException e) {
            feed.close();
            throw new IOException("cannot serve on " + s.bind().getHostAddress() + ":" + s.port() + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        // at most MAX_CONNECTIONS connections, each with at most one exchange waiting: the queue is bounded
        ExecutorService workers = Executors.newFixedThreadPool(MAX_STREAMS + 8, r -> {
            Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-heartbeat");
            t.setDaemon(true);
            return t;
        });
        DashboardServer d = new DashboardServer(s, streams, feed, http, workers, beat, assets, login, csrf);
        http.createContext("/", d::handle);
        http.setExecutor(workers);
        http.start();
        beat.scheduleAtFixedRate(d::beat, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
        return d;
    }

    /** The JDK server's own limits (system properties it reads once), unless the user set them. */
    private static void capHttpServer() {
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "64");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));
        setIfAbsent("sun.net.httpserver.maxReqTime", "10");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "16");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String token(SecureRandom random) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The page, its script and style, and uPlot from its webjar: all read once, at start. */
    private static Map<String, Asset> loadAssets() throws IOException {
        Map<String, Asset> m = new LinkedHashMap<>();
        m.put("/", new Asset("text/html; charset=utf-8", resource(ASSETS + "index.html")));
        m.put("/assets/dashboard.js", new Asset("text/javascript; charset=utf-8", resource(ASSETS + "dashboard.js")));
        m.put("/assets/dashboard.css", new Asset("text/css; charset=utf-8", resource(ASSETS + "dashboard.css")));
        Properties p = new Properties();
        try (InputStream in = DashboardServer.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IOException("the uPlot webjar is not on the class path");
            }
            p.load(in);
        }
        String dist = "/META-INF/resources/webjars/uplot/" + p.getProperty("version") + "/dist/";
        m.put("/assets/uPlot.iife.min.js", new Asset("text/javascript; charset=utf-8", resource(dist + "uPlot.iife.min.js")));
        m.put("/assets/uPlot.min.css", new Asset("text/css; charset=utf-8", resource(dist + "uPlot.min.css")));
        return m;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Where to open the page: with the login token in it when bound off loopback. */
    public String url() {
        InetSocketAddress a = http.getAddress();
        InetAddress host = a.getAddress();
        String h = host.isAnyLocalAddress() ? hostName() : host.getHostAddress();
        if (h.indexOf(':') >= 0) {
            h = "[" + h + "]";
        }
        String base = "http://" + h + ":" + a.getPort() + "/";
        return loginToken == null ? base : base + "login?token=" + loginToken;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Whether the server can sign commands (arm, disarm, reset, heartbeat). */
    public boolean readOnly() {
        return !feed.canSign();
    }

    long heartbeatsSent() {
        return heartbeatsSent.get();
    }

    long refusedRequests() {
        return refused.get();
    }

    private void beat() {
        try {
            if (feed.canSign() && feed.connected() && pageAliveEver
                    && System.nanoTime() - pageAliveNs < PAGE_ALIVE_MS * 1_000_000L) {
                feed.send(CommandKind.HEARTBEAT);
                heartbeatsSent.incrementAndGet();
            }
        } catch (MqttException | RuntimeException e) {
            // the broker is away: the next beat tries again (a thrown exception would end the schedule)
        }
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers h = ex.getResponseHeaders();
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Cache-Control", "no-store");
            h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    + "frame-ancestors 'none'; form-action 'none'; base-uri 'none'");
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            if (loopback && !hostIsLoopback(ex.getRequestHeaders().getFirst("Host"))) {
                reply(ex, 403, error("the Host header must name this computer (localhost)"));
                return;
            }
            if (loginToken != null) {
                if (path.equals("/login") && method.equals("GET")) {
                    login(ex);
                    return;
                }
                if (!loggedIn(ex)) {
                    reply(ex, 401, error("log in with the URL the dashboard printed at start"));
                    return;
                }
            }
            if (method.equals("POST")) {
                post(ex, path);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                h.set("Allow", "GET, HEAD, POST");
                reply(ex, 405, error(method + " is not served"));
                return;
            }
            switch (path) {
                case "/events" -> stream(ex);
                case "/api/snapshot" -> reply(ex, 200, snapshotJson());
                case "/favicon.ico" -> {
                    ex.sendResponseHeaders(204, -1);
                }
                case "/" -> page(ex);
                default -> {
                    Asset a = assets.get(path);
                    if (a == null || path.equals("/")) {
                        reply(ex, 404, error("no such page: " + truncate(path)));
                    } else {
                        send(ex, 200, a.contentType(), a.bytes());
                    }
                }
            }
        } catch (IOException e) {
            // the browser went away mid-answer
        } catch (RuntimeException e) {
            refused.incrementAndGet();
            try {
                reply(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
            } catch (IOException | RuntimeException ignored) {
                // the answer had already started
            }
        }
    }

    private boolean hostIsLoopback(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        String port = null;
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            if (end < 0) {
                return false;
            }
            port = name.length() > end + 1 && name.charAt(end + 1) == ':' ? name.substring(end + 2) : null;
            name = name.substring(1, end);
        } else {
            int colon = name.lastIndexOf(':');
            if (colon >= 0) {
                port = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
        }
        if (port != null && !port.equals(Integer.toString(port()))) {
            return false;
        }
        return name.equals("localhost") || name.equals("::1") || name.startsWith("127.") && name.matches("127(\\.\\d{1,3}){3}");
    }

    private void login(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        String given = null;
        if (query != null && query.length() <= 256) {
            for (String part : query.split("&")) {
                if (part.startsWith("token=")) {
                    given = part.substring(6);
                }
            }
        }
        if (given == null || !same(given, loginToken)) {
            refused.incrementAndGet();
            reply(ex, 401, error("wrong or missing login token"));
            return;
        }
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + loginToken + "; Path=/; HttpOnly; SameSite=Strict");
        ex.getResponseHeaders().set("Location", "/");
        ex.sendResponseHeaders(303, -1);
    }

    private boolean loggedIn(HttpExchange ex) {
        List<String> cookies = ex.getRequestHeaders().get("Cookie");
        if (cookies == null) {
            return false;
        }
        for (String line : cookies) {
            for (String c : line.split(";")) {
                String t = c.trim();
                if (t.startsWith(COOKIE + "=") && same(t.substring(COOKIE.length() + 1), loginToken)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void page(HttpExchange ex) throws IOException {
        String html = new String(assets.get("/").bytes(), StandardCharsets.UTF_8)
                .replace("{{CSRF}}", csrfToken)
                .replace("{{ROBOT}}", settings.robotId())
                .replace("{{READ_ONLY}}", Boolean.toString(readOnly()));
        send(ex, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private void post(HttpExchange ex, String path) throws IOException {
        Headers rq = ex.getRequestHeaders();
        String origin = rq.getFirst("Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + rq.getFirst("Host"))) {
            refused.incrementAndGet();
            reply(ex, 403, error("cross-site request refused (Origin " + truncate(origin) + ")"));
            return;
        }
        String site = rq.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            refused.incrementAndGet();
            reply(ex, 403, error("cross-site request refused (Sec-Fetch-Site " + truncate(site) + ")"));
            return;
        }
        String csrf = rq.getFirst(CSRF_HEADER);
        if (csrf == null || !same(csrf, csrfToken)) {
            refused.incrementAndGet();
            reply(ex, 403, error("missing or wrong " + CSRF_HEADER + " header: reload the page"));
            return;
        }
        if (!readBody(ex)) {
            refused.incrementAndGet();
            reply(ex, 413, error("request body over " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        if (path.equals("/api/alive")) {
            pageAliveNs = System.nanoTime();
            pageAliveEver = true;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("heartbeat", feed.canSign());
            reply(ex, 200, Json.write(m));
            return;
        }
        String prefix = "/api/command/";
        CommandKind kind = path.startsWith(prefix) ? CommandKind.byWireName(path.substring(prefix.length())) : null;
        if (kind != CommandKind.ARM && kind != CommandKind.DISARM && kind != CommandKind.RESET && kind != CommandKind.ESTOP) {
            reply(ex, 404, error("no such command: " + truncate(path)));
            return;
        }
        if (kind != CommandKind.ESTOP && !feed.canSign()) {
            refused.incrementAndGet();
            reply(ex, 403, error("read-only: the dashboard was started without --key, so only estop is sent"));
            return;
        }
        try {
            RobotFeed.Sent sent = feed.send(kind);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sent", sent.command());
            m.put("ctr", sent.counter());
            reply(ex, 200, Json.write(m));
        } catch (MqttException e) {
            reply(ex, 503, error("the broker did not take the command: " + e.getMessage()));
        }
    }

    /** Reads the request body; false when it is over {@link #MAX_BODY_BYTES}. */
    private static boolean readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            return in.readNBytes(MAX_BODY_BYTES + 1).length <= MAX_BODY_BYTES;
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        EventStreams.Stream s = streams.open();
        if (s == null) {
            refused.incrementAndGet();
            reply(ex, 503, error("at most " + MAX_STREAMS + " pages at once"));
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            RobotFeed.Snapshot snap = feed.snapshot();
            write(out, EventStreams.frame("hello", hello()));
            write(out, EventStreams.frame("link", feed.link()));
            if (snap.state() != null) {
                write(out, EventStreams.frame("state", snap.state()));
            }
            for (String e : snap.events()) {
                write(out, EventStreams.frame("event", e));
            }
            out.flush();
            long nextStatsNs = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                String frame = s.next(250);
                if (frame != null) {
                    write(out, frame);
                    while ((frame = s.next(0)) != null) {
                        write(out, frame);
                    }
                }
                if (System.nanoTime() - nextStatsNs >= 0) {
                    write(out, EventStreams.frame("stats", stats(s)));
                    nextStatsNs = System.nanoTime() + 1_000_000_000L;
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.close(s);
        }
    }

    private static void write(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
    }

    private String hello() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("robot_id", settings.robotId());
        m.put("read_only", readOnly());
        m.put("event_log", RobotFeed.EVENT_LOG);
        return Json.write(m);
    }

    private String stats(EventStreams.Stream s) {
        RobotFeed.Snapshot snap = feed.snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("telemetry_received", snap.telemetryReceived());
        m.put("telemetry_missed", snap.telemetryMissed());
        m.put("page_dropped", s.dropped());
        m.put("bad_messages", snap.badMessages());
        m.put("last_bad_message", snap.lastBadMessage());
        m.put("heartbeats_sent", heartbeatsSent.get());
        m.put("pages", streams.openCount());
        return Json.write(m);
    }

    private String snapshotJson() {
        RobotFeed.Snapshot snap = feed.snapshot();
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"robot_id\":");
        Json.quote(sb, settings.robotId());
        sb.append(",\"read_only\":").append(readOnly());
        sb.append(",\"broker_connected\":").append(feed.connected());
        sb.append(",\"state\":").append(snap.state() == null ? "null" : snap.state());
        sb.append(",\"telemetry\":").append(snap.telemetry() == null ? "null" : snap.telemetry());
        sb.append(",\"telemetry_received\":").append(snap.telemetryReceived());
        sb.append(",\"telemetry_missed\":").append(snap.telemetryMissed());
        sb.append(",\"bad_messages\":").append(snap.badMessages());
        sb.append(",\"heartbeats_sent\":").append(heartbeatsSent.get());
        sb.append(",\"pages\":").append(streams.openCount());
        sb.append(",\"events\":[");
        for (int i = 0; i < snap.events().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(snap.events().get(i));
        }
        return sb.append("]}").toString();
    }

    private static String error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return Json.write(m);
    }

    private static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        send(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        http.stop(0);
        workers.shutdownNow();
        feed.close();
    }
}
