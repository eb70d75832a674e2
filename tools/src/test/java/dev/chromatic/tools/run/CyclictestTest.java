package dev.chromatic.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CyclictestTest {

    private static final String OUTPUT = String.join("\n",
            "# /dev/cpu_dma_latency set to 0us",
            "# Histogram",
            "000000 000000",
            "000050 000900",
            "000080 000090",
            "001500 000007",
            "# Total: 000001000",
            "# Min Latencies: 00050",
            "# Avg Latencies: 00060",
            "# Max Latencies: 25000",
            "# Histogram Overflows: 00003",
            "# Histogram Overflow at cycle number:",
            "# Thread 0: 00132 00660 00700",
            "");

    @Test
    void readsTheHistogramInNanosecondsWithOverflowsAsALowerBound() throws IOException {
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        assertEquals(1000, Cyclictest.parse(OUTPUT, h));
        assertEquals(1000, h.getTotalCount());
        assertEquals(50_000, h.getValueAtPercentile(50), 50);
        assertEquals(25_000_000, h.getMaxValue(), 25_000 * 0.001 * 1000);
        Map<String, Object> stats = LoopBenchCommand.latency(h, 1_000_000L);
        assertEquals(10L, stats.get("late_over_period"), "7 at 1.5 ms and the 3 overflows are later than 1 ms");
        assertEquals(80.0, (Double) stats.get("p99"), 0.1);
    }

    @Test
    void outputWithoutAHistogramIsAnErrorNamingIt() {
        IOException e = assertThrows(IOException.class,
                () -> Cyclictest.parse("# /dev/cpu_dma_latency set to 0us\nT: 0 ( 1) P:80 I:1000 C: 10\n",
                        new Histogram(1, 60_000_000_000L, 3)));
        assertTrue(e.getMessage().contains("histogram"), e.getMessage());
    }

    @Test
    void blocksRunAtTheLoopsRatePriorityCpuAndIdleRule() {
        assertEquals(List.of("/usr/bin/cyclictest", "-m", "-q", "-t", "1", "-i", "1000", "-D", "5", "-h", "20000",
                "-p", "80", "-a", "1", "--latency=0"), Cyclictest.at("/usr/bin/cyclictest").command(1000, 5, 80, 1, 0));
        assertEquals(List.of("cyclictest", "-m", "-q", "-t", "1", "-i", "2000", "-D", "3", "-h", "20000", "--laptop"),
                Cyclictest.at("cyclictest").command(2000, 3, 0, -1, -1),
                "priority 0, no CPU, no latency request: as started, power management left alone");
        List<String> held50 = Cyclictest.at("cyclictest").command(1000, 1, 80, 1, 50);
        assertEquals("--latency=50", held50.get(held50.size() - 1));
    }
}
