package dev.chromatic.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    private static ComparisonTable.Row row(String name, int weights, boolean indexed) {
        return new ComparisonTable.Row(name, new double[] {1}, weights, 41, 943, indexed, 1);
    }

    @Test
    void bitCountsMatchThePapersHalfCheetahColumn() {
        assertEquals(6571, row("chromatic", 17, true).bits());
        assertEquals(8250, row("masked", 40, true).bits());
        assertEquals(4608, row("toeplitz", 103, false).bits());
        assertEquals(3936, row("circulant", 82, false).bits());
        assertEquals(31488, row("unstructured", 943, false).bits());
    }

    @Test
    void compressionIsAgainstTheUnstructuredTotal() {
        String md = ComparisonTable.markdown(List.of(row("chromatic", 17, true), row("unstructured", 943, false)), 984);
        assertTrue(md.contains("| chromatic | 1.00 | 0.00 | 1.00 | 1.00 | 17 | 94% | 6571 |"), md);
        assertTrue(md.contains("| unstructured | 1.00 | 0.00 | 1.00 | 1.00 | 943 | 0% | 31488 |"), md);
    }

    @Test
    void meanAndSampleStandardDeviationOverSeeds() {
        ComparisonTable.Row r = new ComparisonTable.Row("chromatic", new double[] {2, 4, 9}, 17, 41, 943, true, 1);
        assertEquals(5.0, r.meanReward, 1e-12);
        assertEquals(Math.sqrt((9 + 1 + 16) / 2.0), r.stdReward, 1e-12);
        assertEquals(9.0, r.bestReward, 0.0);
        String md = ComparisonTable.markdown(List.of(r), 984);
        assertTrue(md.contains("| chromatic | 5.00 | 3.61 | 9.00 | 2.00, 4.00, 9.00 | 17 |"), md);
    }
}
