package dev.chromatic.sim.hil;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.HilCodec;
import dev.chromatic.hal.remote.fb.Body;
import dev.chromatic.hal.remote.fb.Command;
import dev.chromatic.hal.remote.fb.Hello;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulator side of the hardware-in-the-loop link (docs/hil.md): a UDP server that steps a
 * simulating {@link Hardware} one control period per motor command and answers the sensor frame.
 *
 * <p>Lockstep mode steps once for every newer command, in sequence order, as soon as it arrives,
 * so a run is deterministic and gives the same frames as driving the simulator in-process.
 * Realtime mode keeps simulated time with wall-clock time: a command is applied at once unless
 * the simulation would then lead the wall clock by more than one period (a client sending too
 * fast waits); when no command has come 1.5 periods after the last step it repeats the last
 * command for one period ({@code held}), after that it drives the motors in DAMP ({@code damped})
 * every period until commands return.
 *
 * <p>One session at a time: a hello with a new session id replaces the simulator with a fresh one
 * from the factory and the server seed. An agent: {@link #doWork()} does one poll; {@link #run()}
 * loops until {@link #close()}. Not thread-safe apart from {@link #close()}.
 */
public final class SimServer implements AutoCloseable, Runnable {

    private static final int MAX_DATAGRAMS_PER_POLL = 64;
    /** Commands waiting for their step in lockstep mode; beyond this the oldest is dropped. */
    private static final int QUEUE_CAPACITY = 8;

    private final SimulatorFactory factory;
    private final long seed;
    private final boolean realtime;
    private final long controlPeriodNs;
    private final NanoClock clock;
    private final DatagramChannel channel;
    private final HilCodec codec;
    private final int motorCount;
    private final ByteBuffer receiveBuffer =
            ByteBuffer.allocate(HilCodec.MAX_DATAGRAM_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final MotorCommand incoming;
    private final MotorCommand[] queue = new MotorCommand[QUEUE_CAPACITY];
    private final MotorCommand applied;
    private final MotorCommand damp;
    private final SensorFrame frame;
    private final Stats stats = new Stats();
    private final int boundPort;
    private volatile boolean running = true;
    private volatile boolean serving;

    private Hardware hardware;
    private String robotName;
    private long session;
    private SocketAddress client;
    private long step;
    private long appliedSeq;
    private int queueHead;
    private int queued;
    private long anchorNs;
    private long lastStepNs;
    private boolean lastHeld;
    private boolean lastDamped;
    private int holdsLeft;
    private final long linkJitterNs;

    /**
     * Binds the UDP socket ({@code port} 0 picks a free one, see {@link #port()}).
     * {@code motorCount} must match the simulators the factory makes.
     */
    public SimServer(SimulatorFactory factory, int motorCount, long seed, boolean realtime,
                     String bindAddress, int port, NanoClock clock) throws IOException {
        this(factory, motorCount, seed, realtime, bindAddress, port, 0L, clock);
    }

    /**
     * As above, for a link whose delay varies by up to {@code linkJitterNs}: in real time the
     * server waits that much longer for a command before it holds the last one (a late datagram is
     * not a silent robot).
     */
    public SimServer(SimulatorFactory factory, int motorCount, long seed, boolean realtime,
                     String bindAddress, int port, long linkJitterNs, NanoClock clock) throws IOException {
        if (linkJitterNs < 0) {
            throw new IllegalArgumentException("linkJitterNs must be >= 0, was " + linkJitterNs);
        }
        this.linkJitterNs = linkJitterNs;
        if (factory.controlPeriodNs() <= 0) {
            throw new IllegalArgumentException("controlPeriodNs must be > 0, was " + factory.controlPeriodNs());
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.factory = factory;
        this.seed = seed;
        this.realtime = realtime;
        this.controlPeriodNs = factory.controlPeriodNs();
        this.clock = clock;
        this.motorCount = motorCount;
        this.codec = new HilCodec(motorCount);
        this.incoming = new MotorCommand(motorCount);
        for (int i = 0; i < QUEUE_CAPACITY; i++) {
            this.queue[i] = new MotorCommand(motorCount);
        }
        this.applied = new MotorCommand(motorCount);
        this.damp = new MotorCommand(motorCount);
        this.damp.mode = MotorCommand.Mode.DAMP;
        this.frame = new SensorFrame(motorCount);
        this.channel = DatagramChannel.open();
        try {
            channel.bind(new InetSocketAddress(bindAddress, port));
            channel.configureBlocking(false);
            boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The bound UDP port. */
    public int port() {
        return boundPort;
    }

    /** Serves until {@link #close()}; idles with a short park when there is nothing to do. */
    @Override
    public void run() {
        serving = true;
        try {
            int idle = 0;
            while (running) {
                if (doWork() > 0) {
                    idle = 0;
                } else if (++idle > 200) {
                    LockSupport.parkNanos(idle > 50_000 ? 100_000L : 20_000L);
                } else {
                    Thread.onSpinWait();
                }
            }
        } finally {
            closeHardware();
            serving = false;
        }
    }

    /** Receives what has arrived and performs at most one due step. Returns the work done. */
    public int doWork() {
        int work = 0;
        for (int i = 0; i < MAX_DATAGRAMS_PER_POLL; i++) {
            receiveBuffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(receiveBuffer);
            } catch (IOException e) {
                stats.receiveErrors++;
                break;
            }
            if (from == null) {
                break;
            }
            receiveBuffer.flip();
            handle(from);
            work++;
        }
        if (hardware != null) {
            work += stepIfDue();
        }
        return work;
    }

    private void handle(SocketAddress from) {
        int type = codec.decode(receiveBuffer);
        if (type == HilCodec.BAD_CHECKSUM) {
            stats.badChecksums++;
        } else if (type == Body.Hello) {
            onHello(from, codec.hello());
        } else if (type == Body.Command) {
            onCommand(from, codec.command());
        } else {
            stats.badPackets++;
        }
    }

    private void onHello(SocketAddress from, Hello hello) {
        if (hardware != null && hello.session() == session) {
            client = from;
            stats.duplicates++;
            sendFrame(true);
            return;
        }
        closeHardware();
        try {
            Hardware created = factory.create(seed);
            created.start();
            hardware = created;
        } catch (HardwareException | RuntimeException e) {
            stats.sessionFailures++;
            System.err.println("sim-server: cannot start a simulator for a new session: " + e.getMessage());
            return;
        }
        robotName = hardware.spec().name();
        session = hello.session();
        client = from;
        step = 0;
        appliedSeq = 0;
        queued = 0;
        lastHeld = false;
        lastDamped = false;
        holdsLeft = 0;
        applied.clear();
        hardware.read(frame);
        stats.sessions++;
        sendFrame(true);
    }

    private void onCommand(SocketAddress from, Command command) {
        if (hardware == null || command.session() != session) {
            stats.foreignPackets++;
            return;
        }
        long seq = command.seq();
        long newest = queued > 0 ? queue[(queueHead + queued - 1) % QUEUE_CAPACITY].sequence : appliedSeq;
        if (seq > newest) {
            if (!codec.readCommand(incoming)) {
                stats.badPackets++;
                return;
            }
            enqueue(incoming);
            client = from;
            stats.commandsReceived++;
        } else if (seq == appliedSeq) {
            stats.duplicates++;
            if (!realtime) {
                sendFrame(false);
            }
        } else {
            stats.late++;
        }
    }

    private int stepIfDue() {
        if (!realtime) {
            if (queued > 0) {
                dequeueInto(applied);
                stepWith(applied, applied.sequence, false, false);
                return 1;
            }
            return 0;
        }
        long now = clock.nanoTime();
        if (queued > 0) {
            if (step == 0) {
                anchorNs = now;
            }
            // sim time (step * period after anchorNs) may lead wall time by at most one period
            if (step * controlPeriodNs - (now - anchorNs) <= controlPeriodNs) {
                dequeueInto(applied);
                holdsLeft = 1;
                stepWith(applied, applied.sequence, false, false);
                lastStepNs = now;
                return 1;
            }
            return 0;
        }
        long silenceNs = lastHeld || lastDamped ? controlPeriodNs : controlPeriodNs + controlPeriodNs / 2 + linkJitterNs;
        if (step > 0 && now - lastStepNs >= silenceNs) {
            if (holdsLeft > 0) {
                holdsLeft--;
                stats.holds++;
                stepWith(applied, appliedSeq, true, false);
            } else {
                stats.dampedSteps++;
                stepWith(damp, appliedSeq, false, true);
            }
            lastStepNs = now;
            anchorNs = now - step * controlPeriodNs;
            return 1;
        }
        return 0;
    }

    /**
     * Lockstep keeps every newer command in order (each advances one period); realtime keeps only
     * the newest, since time, not the command count, drives its steps.
     */
    private void enqueue(MotorCommand command) {
        if (realtime && queued > 0) {
            queue[queueHead].copyFrom(command);
            stats.overtaken++;
            return;
        }
        if (queued == QUEUE_CAPACITY) {
            queueHead = (queueHead + 1) % QUEUE_CAPACITY;
            queued--;
            stats.overtaken++;
        }
        queue[(queueHead + queued) % QUEUE_CAPACITY].copyFrom(command);
        queued++;
    }

    private void dequeueInto(MotorCommand out) {
        out.copyFrom(queue[queueHead]);
        queueHead = (queueHead + 1) % QUEUE_CAPACITY;
        queued--;
    }

    private void stepWith(MotorCommand command, long seq, boolean held, boolean damped) {
        hardware.write(command);
        hardware.read(frame);
        step++;
        appliedSeq = seq;
        lastHeld = held;
        lastDamped = damped;
        stats.steps++;
        sendFrame(false);
    }

    private void sendFrame(boolean withRobot) {
        ByteBuffer datagram = codec.encodeFrame(session, appliedSeq, step, lastHeld, lastDamped,
                controlPeriodNs, withRobot ? robotName : null, frame);
        try {
            channel.send(datagram, client);
            stats.framesSent++;
        } catch (IOException e) {
            stats.sendErrors++;
        }
    }

    /** Steps simulated in the current session. */
    public long step() {
        return step;
    }

    /** Counters since start; read after {@link #close()} or from the serving thread. */
    public Stats stats() {
        return stats;
    }

    /** The motor count this server speaks. */
    public int motorCount() {
        return motorCount;
    }

    /**
     * Stops {@link #run()} (which then closes the simulator on its own thread) and closes the
     * socket. Idempotent; callable from any thread.
     */
    @Override
    public void close() {
        running = false;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        if (!serving) {
            closeHardware();
        }
    }

    private synchronized void closeHardware() {
        if (hardware != null) {
            hardware.close();
            hardware = null;
        }
    }

    /** Counters of the server, for the command line and tests. */
    public static final class Stats {
        public long sessions;
        public long sessionFailures;
        public long commandsReceived;
        public long steps;
        public long holds;
        public long dampedSteps;
        public long framesSent;
        public long duplicates;
        public long late;
        public long overtaken;
        public long badChecksums;
        public long badPackets;
        public long foreignPackets;
        public long sendErrors;
        public long receiveErrors;

        @Override
        public String toString() {
            return "sessions=" + sessions + " steps=" + steps + " commands=" + commandsReceived + " holds=" + holds
                    + " damped=" + dampedSteps + " framesSent=" + framesSent + " duplicates=" + duplicates
                    + " late=" + late + " overtaken=" + overtaken + " badChecksums=" + badChecksums
                    + " badPackets=" + badPackets + " foreign=" + foreignPackets + " sessionFailures=" + sessionFailures;
        }
    }
}
