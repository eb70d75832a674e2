package dev.chromatic.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuLatencyRequestTest {

    @TempDir
    Path dir;

    @Test
    void aHeldRequestIsFourNativeEndianBytesAndEndsOnClose() throws IOException {
        Path device = Files.createFile(dir.resolve("cpu_dma_latency"));
        CpuLatencyRequest r = CpuLatencyRequest.hold(device, 25);
        assertTrue(r.held(), r.message());
        assertTrue(r.message().contains("25 us"), r.message());
        byte[] expected = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(25).array();
        assertArrayEquals(expected, Files.readAllBytes(device));
        r.close();
        assertFalse(r.held());
        r.close();
        assertFalse(r.held(), "closing twice is harmless");
    }

    @Test
    void aNegativeSettingRequestsNothing() throws IOException {
        Path device = Files.createFile(dir.resolve("cpu_dma_latency"));
        CpuLatencyRequest r = CpuLatencyRequest.hold(device, -1);
        assertFalse(r.held());
        assertEquals(0, Files.size(device), "the device is not touched");
        r.close();
    }

    @Test
    void anOutOfRangeSettingIsRefusedNamingTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuLatencyRequest.hold(dir.resolve("x"), CpuLatencyRequest.MAX_US + 1));
        assertTrue(e.getMessage().contains("0.." + CpuLatencyRequest.MAX_US), e.getMessage());
    }

    @Test
    void aMissingOrUnwritableDeviceIsReportedNotThrown() throws IOException {
        Path missing = dir.resolve("absent");
        CpuLatencyRequest r = CpuLatencyRequest.hold(missing, 0);
        assertFalse(r.held());
        assertTrue(r.message().contains(missing.toString()) && r.message().contains("the loop runs"), r.message());
        Path folder = Files.createDirectory(dir.resolve("a-folder"));
        CpuLatencyRequest f = CpuLatencyRequest.hold(folder, 0);
        assertFalse(f.held());
        assertTrue(f.message().contains("cannot hold"), f.message());
    }

    /** On Linux, as root: the kernel's effective CPU latency limit is the request while it is held. */
    @Test
    void theKernelAppliesTheRequestWhileHeld() throws IOException {
        assumeTrue(KernelCpuLatency.available(),
                "needs a writable " + CpuLatencyRequest.DEVICE + " (Linux, root)");
        int before = KernelCpuLatency.effectiveLimitUs();
        try (CpuLatencyRequest r = CpuLatencyRequest.hold(7)) {
            assertTrue(r.held(), r.message());
            assertEquals(Math.min(before, 7), KernelCpuLatency.effectiveLimitUs(), "the kernel's limit while the request is held");
        }
        assertEquals(before, KernelCpuLatency.effectiveLimitUs(), "the limit once the request ended");
    }
}
