package dev.chromatic.tools.watch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes telemetry samples as CSV, one row per sample. The vector widths are fixed by the first
 * sample (longer vectors are cut, shorter ones leave empty cells); the header names every column.
 */
final class CsvRecorder implements AutoCloseable {

    private final BufferedWriter out;
    private int obs = -1;
    private int act;
    private int motors;
    private long rows;

    CsvRecorder(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    void write(TelemetryBatch b) throws IOException {
        for (TelemetryBatch.Sample s : b.samples()) {
            if (obs < 0) {
                header(s);
            }
            StringBuilder sb = new StringBuilder(256);
            sb.append(b.batch()).append(',').append(s.cycle()).append(',').append(s.timeNs()).append(',')
                    .append(s.latenessNs()).append(',').append(s.cycleNs()).append(',')
                    .append(TelemetryStats.stateName(s.state(), 0).replaceAll("\\(.*", "")).append(',')
                    .append(s.state() == 2 ? TelemetryStats.reasonName(s.reason()) : "").append(',')
                    .append(s.rollRad()).append(',').append(s.pitchRad());
            cells(sb, s.observation(), obs);
            cells(sb, s.action(), act);
            cells(sb, s.motorTargetRad(), motors);
            cells(sb, s.motorAngleRad(), motors);
            out.write(sb.append('\n').toString());
            rows++;
        }
    }

    private void header(TelemetryBatch.Sample s) throws IOException {
        obs = s.observation().length;
        act = s.action().length;
        motors = s.motorTargetRad().length;
        StringBuilder sb = new StringBuilder("batch,cycle,time_ns,lateness_ns,cycle_ns,state,safe_reason,roll_rad,pitch_rad");
        names(sb, "obs", obs);
        names(sb, "action", act);
        names(sb, "target_rad", motors);
        names(sb, "angle_rad", motors);
        out.write(sb.append('\n').toString());
    }

    private static void names(StringBuilder sb, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(',').append(prefix).append(i);
        }
    }

    private static void cells(StringBuilder sb, float[] v, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(',');
            if (i < v.length) {
                sb.append(v[i]);
            }
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
