package dev.chromatic.trainer.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes the per-iteration metrics as CSV (whole file, atomically, so a resumed run rewrites it). */
public final class MetricsCsv {

    private MetricsCsv() {
    }

    public static void write(Path file, List<MetricsRow> rows) throws IOException {
        StringBuilder sb = new StringBuilder(MetricsRow.HEADER).append('\n');
        for (MetricsRow r : rows) {
            sb.append(r.toCsv()).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
