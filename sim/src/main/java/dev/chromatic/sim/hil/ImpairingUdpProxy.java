package dev.chromatic.sim.hil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP relay on loopback between one client and one server that drops, delays, duplicates and
 * reorders datagrams with seeded randomness: the HIL link's faults, for tests and for
 * {@code chromatic hil-soak --latency-ms}. A delay range {@code [delay, delay + jitter]} is drawn per
 * datagram and keeps each direction in order (a slow link, not a reordering one); reordering is
 * separate. Stops itself after {@code maxLifetimeNs}.
 */
public final class ImpairingUdpProxy implements AutoCloseable {

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final Random random;
    private final double dropProbability;
    private final long delayNs;
    private final long jitterNs;
    private final long[] lastReleaseNs = new long[2];
    private final double duplicateProbability;
    private final double reorderProbability;
    private final long reorderExtraNs;
    private final long stopAtNs;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private SocketAddress client;
    private long order;
    public volatile long forwarded;
    public volatile long dropped;
    public volatile long duplicated;
    public volatile long reorderedPackets;

    public ImpairingUdpProxy(int serverPort, long seed, double dropProbability, long delayNs,
                             double duplicateProbability, double reorderProbability, long reorderExtraNs,
                             long maxLifetimeNs) throws IOException {
        this(serverPort, seed, dropProbability, delayNs, 0L, duplicateProbability, reorderProbability, reorderExtraNs,
                maxLifetimeNs);
    }

    /** A relay whose delay is drawn per datagram from {@code [delayNs, delayNs + jitterNs]}, in order. */
    public ImpairingUdpProxy(int serverPort, long seed, double dropProbability, long delayNs, long jitterNs,
                             double duplicateProbability, double reorderProbability, long reorderExtraNs,
                             long maxLifetimeNs) throws IOException {
        if (delayNs < 0 || jitterNs < 0) {
            throw new IllegalArgumentException("delay and jitter must be >= 0");
        }
        this.random = new Random(seed);
        this.dropProbability = dropProbability;
        this.delayNs = delayNs;
        this.jitterNs = jitterNs;
        this.duplicateProbability = duplicateProbability;
        this.reorderProbability = reorderProbability;
        this.reorderExtraNs = reorderExtraNs;
        this.stopAtNs = System.nanoTime() + maxLifetimeNs;
        this.front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        this.front.configureBlocking(false);
        this.back = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        this.back.connect(new InetSocketAddress("127.0.0.1", serverPort));
        this.back.configureBlocking(false);
        this.thread = new Thread(this::loop, "impairing-proxy");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The port the client sends to. */
    public int port() throws IOException {
        return ((InetSocketAddress) front.getLocalAddress()).getPort();
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (running && System.nanoTime() - stopAtNs < 0) {
                boolean work = false;
                buf.clear();
                SocketAddress from = front.receive(buf);
                if (from != null) {
                    client = from;
                    buf.flip();
                    impair(buf, true);
                    work = true;
                }
                buf.clear();
                if (back.isConnected() && back.read(buf) > 0) {
                    buf.flip();
                    impair(buf, false);
                    work = true;
                }
                long now = System.nanoTime();
                while (!queue.isEmpty() && queue.peek().releaseNs - now <= 0) {
                    Pending p = queue.poll();
                    if (p.toServer) {
                        back.write(ByteBuffer.wrap(p.data));
                    } else if (client != null) {
                        front.send(ByteBuffer.wrap(p.data), client);
                    }
                    forwarded++;
                    work = true;
                }
                if (!work) {
                    LockSupport.parkNanos(20_000L);
                }
            }
        } catch (IOException e) {
            // closed underneath the loop: stop
        }
    }

    private void impair(ByteBuffer buf, boolean toServer) {
        if (random.nextDouble() < dropProbability) {
            dropped++;
            return;
        }
        byte[] data = new byte[buf.remaining()];
        buf.get(data);
        long release = System.nanoTime() + delayNs + (jitterNs == 0 ? 0 : (long) (random.nextDouble() * jitterNs));
        int dir = toServer ? 0 : 1;
        if (jitterNs > 0 && release - lastReleaseNs[dir] < 0) {
            release = lastReleaseNs[dir];
        }
        lastReleaseNs[dir] = release;
        if (random.nextDouble() < reorderProbability) {
            release += reorderExtraNs;
            reorderedPackets++;
        }
        queue.add(new Pending(release, order++, toServer, data));
        if (random.nextDouble() < duplicateProbability) {
            duplicated++;
            queue.add(new Pending(release + 100_000L, order++, toServer, data));
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        front.close();
        back.close();
    }

    private static final class Pending implements Comparable<Pending> {
        final long releaseNs;
        final long order;
        final boolean toServer;
        final byte[] data;

        Pending(long releaseNs, long order, boolean toServer, byte[] data) {
            this.releaseNs = releaseNs;
            this.order = order;
            this.toServer = toServer;
            this.data = data;
        }

        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(releaseNs, o.releaseNs);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
