package dev.chromatic.hal.remote;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.fb.Body;
import dev.chromatic.hal.remote.fb.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The hardware-in-the-loop backend ({@code hal=remote:HOST:PORT}): each {@link #write} sends the
 * command with the next sequence number to a {@code chromatic sim-server}, which steps one control
 * period and answers the sensor frame (protocol: docs/hil.md).
 *
 * <p>Lost, late, duplicated and reordered frames are told apart by the server's step counter;
 * {@link #read} waits for the answer to the last command at most {@code responseTimeoutNs}, then
 * hands out the newest frame it has (the last good data is held). When two commands in a row are
 * unanswered, or the newest frame arrived more than two control periods ago, the data is stale:
 * {@code validMask} is cleared so the safety supervisor latches its safe state.
 *
 * <p>{@link #read} and {@link #write} never throw and never allocate. Not thread-safe: only the
 * control thread calls them.
 */
public final class RemoteHardware implements Hardware {

    /** Prefix of the {@code hal} setting that selects this backend. */
    public static final String HAL_PREFIX = "remote:";

    private static final long POLL_PARK_NS = 20_000L;
    private static final int MAX_DATAGRAMS_PER_DRAIN = 64;
    /** How long {@link #start()} waits for the server by default. */
    public static final long DEFAULT_HELLO_TIMEOUT_NS = 5_000_000_000L;
    private static final long HELLO_RESEND_NS = 100_000_000L;

    private final String host;
    private final int port;
    private final RobotSpec spec;
    private final long controlPeriodNs;
    private final long responseTimeoutNs;
    private final int maxUnanswered;
    private final long staleAfterNs;
    private final NanoClock clock;
    private final HilCodec codec;
    private final ByteBuffer receiveBuffer =
            ByteBuffer.allocate(HilCodec.MAX_DATAGRAM_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final SensorFrame latest;

    private long helloTimeoutNs = DEFAULT_HELLO_TIMEOUT_NS;
    private DatagramChannel channel;
    private long session;
    private long seq;
    private long lastSentNs;
    private boolean haveFrame;
    private long latestSeq;
    private long latestStep;
    private long latestReceivedNs;
    private boolean lastReadStale;
    private final LinkStats stats = new LinkStats();

    /**
     * A backend talking to {@code host:port}; {@link #start()} opens the session.
     * {@code responseTimeoutNs} bounds how long {@link #read} waits for the answer to the last
     * command (a control loop that reads one period after writing never waits).
     */
    public RemoteHardware(String host, int port, RobotSpec spec, long controlPeriodNs,
                          long responseTimeoutNs, NanoClock clock) {
        this(host, port, spec, controlPeriodNs, responseTimeoutNs, 2, 2 * controlPeriodNs, clock);
    }

    /**
     * A backend for a link whose round trip may take up to {@code roundTripBudgetNs}. Within one
     * control period (a LAN, loopback) {@link #read} waits up to a period for the answer to the last
     * command and two unanswered commands make the data stale. A slower link (a tunnel, a test
     * that delays datagrams) cannot answer within the cycle: {@link #read} never waits, up to
     * {@code ceil(budget / period) + 1} commands may be in flight, and data is stale when no new
     * frame came for the budget plus two periods. The frames it hands out are then as old as the
     * link is slow, which the policy must tolerate (training randomises observation and action
     * latency up to 20 ms each way).
     */
    public static RemoteHardware withRoundTripBudget(String host, int port, RobotSpec spec, long controlPeriodNs,
            long roundTripBudgetNs, NanoClock clock) {
        if (roundTripBudgetNs <= controlPeriodNs) {
            return new RemoteHardware(host, port, spec, controlPeriodNs, controlPeriodNs, clock);
        }
        int inFlight = (int) ((roundTripBudgetNs + controlPeriodNs - 1) / controlPeriodNs);
        return new RemoteHardware(host, port, spec, controlPeriodNs, 0L, inFlight + 2,
                roundTripBudgetNs + 2 * controlPeriodNs, clock);
    }

    private RemoteHardware(String host, int port, RobotSpec spec, long controlPeriodNs, long responseTimeoutNs,
                           int maxUnanswered, long staleAfterNs, NanoClock clock) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("hal: remote host must not be empty");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("hal: remote port must be 1..65535, was " + port);
        }
        if (controlPeriodNs <= 0) {
            throw new IllegalArgumentException("controlPeriodNs must be > 0, was " + controlPeriodNs);
        }
        if (responseTimeoutNs < 0) {
            throw new IllegalArgumentException("responseTimeoutNs must be >= 0, was " + responseTimeoutNs);
        }
        this.host = host;
        this.port = port;
        this.spec = spec;
        this.controlPeriodNs = controlPeriodNs;
        this.responseTimeoutNs = responseTimeoutNs;
        this.maxUnanswered = maxUnanswered;
        this.staleAfterNs = staleAfterNs;
        this.clock = clock;
        this.codec = new HilCodec(spec.motorCount());
        this.latest = new SensorFrame(spec.motorCount());
    }

    /**
     * Builds (does not start) the backend from the value of the {@code hal} setting,
     * {@code remote:HOST:PORT} (an IPv6 host in brackets). The message names {@code hal} when the
     * value is malformed.
     */
    public static RemoteHardware fromSetting(String halValue, RobotSpec spec, long controlPeriodNs, NanoClock clock) {
        return fromSetting(halValue, spec, controlPeriodNs, 0L, clock);
    }

    /** As {@link #fromSetting(String, RobotSpec, long, NanoClock)}, for a link of the given round-trip budget. */
    public static RemoteHardware fromSetting(String halValue, RobotSpec spec, long controlPeriodNs, long roundTripBudgetNs,
            NanoClock clock) {
        if (halValue == null || !halValue.startsWith(HAL_PREFIX)) {
            throw new IllegalArgumentException("hal: expected remote:HOST:PORT, was " + halValue);
        }
        String rest = halValue.substring(HAL_PREFIX.length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException("hal: expected remote:HOST:PORT, was " + halValue);
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hal: port of " + halValue + " is not a number");
        }
        return withRoundTripBudget(host, port, spec, controlPeriodNs, roundTripBudgetNs, clock);
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    /** What the simulated robot behind the link measures: its spec's {@link RobotSpec#measuredMask()}. */
    @Override
    public int measuredMask() {
        return spec.measuredMask();
    }

    /**
     * Opens the socket and a new session: sends a hello every 100 ms until the server answers with
     * its initial frame (5 s at most, wall-clock), then checks robot, motor count, protocol and
     * control period.
     */
    @Override
    public void start() throws HardwareException {
        if (channel != null) {
            throw new HardwareException("remote hardware already started");
        }
        try {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            closeChannel();
            throw new HardwareException("cannot open a UDP socket to " + host + ":" + port + ": " + e.getMessage(), e);
        }
        session = new SecureRandom().nextLong() & Long.MAX_VALUE;
        if (session == 0) {
            session = 1;
        }
        seq = 0;
        haveFrame = false;
        long startNs = System.nanoTime();
        long lastHelloNs = startNs - HELLO_RESEND_NS;
        String failure = null;
        while (!haveFrame) {
            long now = System.nanoTime();
            if (now - startNs > helloTimeoutNs) {
                closeChannel();
                throw new HardwareException("no answer from the HIL server at " + host + ":" + port + " within "
                        + helloTimeoutNs / 1_000_000 + " ms (is `chromatic sim-server --port " + port + "` running?)");
            }
            if (now - lastHelloNs >= HELLO_RESEND_NS) {
                send(codec.encodeHello(session, controlPeriodNs));
                lastHelloNs = now;
            }
            failure = receiveHelloAnswer();
            if (failure != null) {
                closeChannel();
                throw new HardwareException("HIL server at " + host + ":" + port + ": " + failure);
            }
            if (!haveFrame) {
                LockSupport.parkNanos(1_000_000L);
            }
        }
        lastSentNs = clock.nanoTime();
        latestReceivedNs = lastSentNs;
    }

    private String receiveHelloAnswer() {
        for (int i = 0; i < MAX_DATAGRAMS_PER_DRAIN; i++) {
            receiveBuffer.clear();
            int n;
            try {
                n = channel.read(receiveBuffer);
            } catch (IOException e) {
                stats.receiveErrors++;
                return null;
            }
            if (n <= 0) {
                return null;
            }
            receiveBuffer.flip();
            if (codec.decode(receiveBuffer) != Body.Frame) {
                stats.badPackets++;
                continue;
            }
            Frame f = codec.frame();
            if (f.session() != session) {
                stats.foreignPackets++;
                continue;
            }
            if (f.protocolVersion() != HilCodec.PROTOCOL_VERSION) {
                return "protocol version " + f.protocolVersion() + ", expected " + HilCodec.PROTOCOL_VERSION;
            }
            if (f.controlPeriodNs() != controlPeriodNs) {
                return "control period " + f.controlPeriodNs() + " ns, but this robot runs at " + controlPeriodNs
                        + " ns (set the same period on both ends)";
            }
            String robot = f.robot();
            if (robot != null && !robot.equals(spec.name())) {
                return "simulates robot '" + robot + "', expected '" + spec.name() + "'";
            }
            if (!codec.readFrame(latest)) {
                return "frame has " + f.motorAngleRadLength() + " motors, expected " + spec.motorCount();
            }
            haveFrame = true;
            latestSeq = f.seq();
            latestStep = f.step();
            stats.framesReceived++;
            return null;
        }
        return null;
    }

    /**
     * Fills {@code out} with the newest frame. Waits for the answer to the last command until
     * {@code lastWrite + responseTimeoutNs}; then the held frame is used, and when data is stale
     * ({@link #lastReadStale()}) {@code validMask} is 0.
     */
    @Override
    public void read(SensorFrame out) {
        if (!haveFrame) {
            out.clear();
            lastReadStale = true;
            stats.staleReads++;
            return;
        }
        long now = clock.nanoTime();
        drain(now);
        if (latestSeq < seq) {
            long deadline = lastSentNs + responseTimeoutNs;
            while (latestSeq < seq && deadline - now > 0) {
                LockSupport.parkNanos(POLL_PARK_NS);
                now = clock.nanoTime();
                drain(now);
            }
        }
        out.copyFrom(latest);
        long unanswered = seq - latestSeq;
        boolean stale = unanswered >= maxUnanswered || now - latestReceivedNs > staleAfterNs;
        if (unanswered >= 1) {
            stats.heldReads++;
        }
        if (stale) {
            out.validMask = 0;
            stats.staleReads++;
        }
        lastReadStale = stale;
    }

    /** Sends {@code command} with the next sequence number. Never blocks on the network. */
    @Override
    public void write(MotorCommand command) {
        if (channel == null) {
            stats.sendErrors++;
            return;
        }
        seq++;
        send(codec.encodeCommand(session, seq, command));
        lastSentNs = clock.nanoTime();
        stats.commandsSent++;
    }

    /** Tells the server to damp the motors, then closes the socket. Idempotent. */
    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        MotorCommand damp = new MotorCommand(spec.motorCount());
        damp.mode = MotorCommand.Mode.DAMP;
        seq++;
        send(codec.encodeCommand(session, seq, damp));
        closeChannel();
    }

    /** How long {@link #start()} waits for the server's first frame; call before start. */
    public void helloTimeoutNs(long timeoutNs) {
        if (timeoutNs <= 0) {
            throw new IllegalArgumentException("hello timeout must be > 0, was " + timeoutNs);
        }
        this.helloTimeoutNs = timeoutNs;
    }

    /** True when the last {@link #read} handed out stale data (validity cleared). */
    public boolean lastReadStale() {
        return lastReadStale;
    }

    /** Sequence number of the last command sent (1 for the first). */
    public long lastCommandSeq() {
        return seq;
    }

    /** Sequence number of the command the newest frame answers. */
    public long latestAnsweredSeq() {
        return latestSeq;
    }

    /** Link counters since start; a live view, read it on the control thread. */
    public LinkStats stats() {
        return stats;
    }

    private void drain(long now) {
        for (int i = 0; i < MAX_DATAGRAMS_PER_DRAIN; i++) {
            receiveBuffer.clear();
            int n;
            try {
                n = channel.read(receiveBuffer);
            } catch (IOException e) {
                stats.receiveErrors++;
                return;
            }
            if (n <= 0) {
                return;
            }
            receiveBuffer.flip();
            int type = codec.decode(receiveBuffer);
            if (type == HilCodec.BAD_CHECKSUM) {
                stats.badChecksums++;
                continue;
            }
            if (type != Body.Frame) {
                stats.badPackets++;
                continue;
            }
            Frame f = codec.frame();
            if (f.session() != session) {
                stats.foreignPackets++;
                continue;
            }
            long step = f.step();
            if (step == latestStep) {
                stats.duplicates++;
                continue;
            }
            if (step < latestStep) {
                stats.reordered++;
                continue;
            }
            if (!codec.readFrame(latest)) {
                stats.badPackets++;
                continue;
            }
            long answered = f.seq();
            if (answered > latestSeq + 1) {
                stats.unansweredCommands += answered - latestSeq - 1;
            }
            if (step > latestStep + 1) {
                stats.lostFrames += step - latestStep - 1;
            }
            latestSeq = answered;
            latestStep = step;
            latestReceivedNs = now;
            stats.framesReceived++;
        }
    }

    private void send(ByteBuffer datagram) {
        try {
            if (channel.write(datagram) == 0) {
                stats.sendErrors++;
            }
        } catch (IOException e) {
            stats.sendErrors++;
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            channel = null;
        }
    }

    /** Counters of the link, for telemetry and tests. */
    public static final class LinkStats {
        public long commandsSent;
        public long framesReceived;
        public long duplicates;
        public long reordered;
        public long lostFrames;
        public long unansweredCommands;
        public long badChecksums;
        public long badPackets;
        public long foreignPackets;
        public long heldReads;
        public long staleReads;
        public long sendErrors;
        public long receiveErrors;

        @Override
        public String toString() {
            return "sent=" + commandsSent + " received=" + framesReceived + " duplicates=" + duplicates
                    + " reordered=" + reordered + " lostFrames=" + lostFrames + " unanswered=" + unansweredCommands
                    + " badChecksums=" + badChecksums + " badPackets=" + badPackets + " foreign=" + foreignPackets
                    + " held=" + heldReads + " stale=" + staleReads + " sendErrors=" + sendErrors
                    + " receiveErrors=" + receiveErrors;
        }
    }
}
