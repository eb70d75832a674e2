package dev.chromatic.runtime.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

/** What the kernel enforces, for tests that check a {@link CpuLatencyRequest} took effect (Linux, root). */
public final class KernelCpuLatency {

    private KernelCpuLatency() {
    }

    /** True where the tests can both make and read requests. */
    public static boolean available() {
        return Files.isWritable(CpuLatencyRequest.DEVICE) && Files.isReadable(CpuLatencyRequest.DEVICE);
    }

    /**
     * The effective CPU wake-up latency limit in microseconds: the smallest request of all processes
     * holding one (2000000000 when nobody does), read from the device as a native 32-bit integer.
     */
    public static int effectiveLimitUs() throws IOException {
        byte[] b = Files.readAllBytes(CpuLatencyRequest.DEVICE);
        if (b.length != Integer.BYTES) {
            throw new IOException(CpuLatencyRequest.DEVICE + " gave " + b.length + " bytes, not 4");
        }
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt();
    }
}
