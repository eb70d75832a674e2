package dev.chromatic.runtime.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A CPU wake-up latency request to Linux's power management (PM QoS, {@code /dev/cpu_dma_latency}),
 * held while this object is open. With 0 µs no idle CPU enters an idle state it would take longer
 * to leave: on a virtual machine the CPUs then poll instead of halting (a halted virtual CPU waits
 * for the host to run it again), on hardware they stay out of deep C-states. The kernel keeps the
 * request exactly as long as the file stays open, so a crashed process cannot leave it behind.
 * cyclictest makes the same request (0 µs) unless told otherwise.
 *
 * <p>Opened once when the control loop starts, never on its hot path. Failing to open is
 * reported through {@link #message()}, not thrown: the loop runs either way.
 */
public final class CpuLatencyRequest implements AutoCloseable {

    /** The kernel's CPU latency QoS device. */
    public static final Path DEVICE = Path.of("/dev/cpu_dma_latency");

    /** Largest request accepted, in microseconds (anything larger asks for nothing useful). */
    public static final int MAX_US = 100_000;

    private final FileChannel channel;
    private final String message;

    private CpuLatencyRequest(FileChannel channel, String message) {
        this.channel = channel;
        this.message = message;
    }

    /** Nothing requested (a negative setting): the power management is left alone. */
    public static CpuLatencyRequest none() {
        return new CpuLatencyRequest(null, "CPU wake-up latency not requested");
    }

    /** Requests at most {@code microseconds} of wake-up latency (negative: request nothing). */
    public static CpuLatencyRequest hold(int microseconds) {
        return hold(DEVICE, microseconds);
    }

    static CpuLatencyRequest hold(Path device, int microseconds) {
        if (microseconds < 0) {
            return none();
        }
        if (microseconds > MAX_US) {
            throw new IllegalArgumentException("CPU wake-up latency must be in 0.." + MAX_US + " us, was " + microseconds);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(device, StandardOpenOption.WRITE);
            // the kernel takes the value as a native-endian 32-bit integer when exactly 4 bytes are written
            ByteBuffer value = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(microseconds).flip();
            while (value.hasRemaining()) {
                if (ch.write(value) == 0) {
                    throw new IOException("wrote nothing");
                }
            }
            return new CpuLatencyRequest(ch, "CPU wake-up latency held at " + microseconds + " us (" + device + ")");
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the request failed anyway; the failure below is the one to report
                }
            }
            return new CpuLatencyRequest(null, "cannot hold CPU wake-up latency at " + microseconds + " us through "
                    + device + ": " + e.getClass().getSimpleName() + " " + e.getMessage()
                    + " (the loop runs, with deeper idle states allowed)");
        }
    }

    /** True while the request is in force. */
    public boolean held() {
        return channel != null && channel.isOpen();
    }

    /** What was requested, or why it could not be. */
    public String message() {
        return message;
    }

    /** Ends the request (idempotent). */
    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing ends the request whatever close reports
            }
        }
    }
}
