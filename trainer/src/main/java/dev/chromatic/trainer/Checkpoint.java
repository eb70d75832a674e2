package dev.chromatic.trainer;

import dev.chromatic.trainer.es.EsStrategy;
import dev.chromatic.trainer.es.Io;
import dev.chromatic.trainer.es.ObservationStats;
import dev.chromatic.trainer.report.MetricsRow;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The training checkpoint file, all of its layout in one place: magic, version, the settings'
 * fingerprint, then the loop's counters, the run's best returns, ES state, observation sums,
 * controller with its phase, previous best coloring, candidates and metrics rows. Reads and
 * writes the state of the trainer's parts in place. Version 1 (before the Distance and per-layer
 * rank columns) is refused with a message naming it.
 */
final class Checkpoint {

    static final int MAGIC = 0x43484b50;
    static final int VERSION = 2;

    /** The loop's own counters: iterations done, rollouts run, wall seconds before this process. */
    record Counters(int iteration, long rollouts, double elapsedS) {
    }

    private final TrainConfig cfg;
    private final EsStrategy es;
    private final ObservationStats obsStats;
    private final ControllerSchedule schedule;
    private final IterationMetrics metrics;
    private final CandidateSelection candidates;
    private final List<MetricsRow> rows;

    /** {@code schedule} is null for structures without a learned partition. */
    Checkpoint(TrainConfig cfg, EsStrategy es, ObservationStats obsStats, ControllerSchedule schedule,
            IterationMetrics metrics, CandidateSelection candidates, List<MetricsRow> rows) {
        this.cfg = cfg;
        this.es = es;
        this.obsStats = obsStats;
        this.schedule = schedule;
        this.metrics = metrics;
        this.candidates = candidates;
        this.rows = rows;
    }

    /** Writes the whole state atomically (temporary file, then rename). */
    void write(Path file, Counters counters) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(cfg.fingerprint());
            out.writeInt(counters.iteration());
            out.writeLong(counters.rollouts());
            out.writeDouble(counters.elapsedS());
            out.writeDouble(metrics.bestMean());
            out.writeDouble(metrics.bestMax());
            es.save(out);
            obsStats.save(out);
            out.writeBoolean(schedule != null);
            if (schedule != null) {
                schedule.save(out);
            }
            int[] previousBest = metrics.previousBest();
            out.writeBoolean(previousBest != null);
            if (previousBest != null) {
                Io.writeInts(out, previousBest);
            }
            out.writeInt(candidates.kept().size());
            for (Candidate c : candidates.kept()) {
                writeCandidate(out, c);
            }
            out.writeInt(rows.size());
            for (MetricsRow r : rows) {
                out.writeUTF(r.toCsv());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Restores the parts from a checkpoint written by a run with the same settings (iterations
     * and threads may differ) and returns the loop's counters.
     *
     * @throws IOException when the file is not a checkpoint of this version and configuration
     */
    Counters read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a chromatic training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " is a training checkpoint of version " + version + "; this trainer reads version "
                        + VERSION + " (start the run again without --resume)");
            }
            String fp = in.readUTF();
            if (!fp.equals(cfg.fingerprint())) {
                throw new IOException(file + " was written with different settings: " + fp);
            }
            Counters counters = new Counters(in.readInt(), in.readLong(), in.readDouble());
            double bestMean = in.readDouble();
            double bestMax = in.readDouble();
            es.load(in);
            obsStats.load(in);
            boolean hasController = in.readBoolean();
            if (hasController != (schedule != null)) {
                throw new IOException(file + ": controller presence does not match");
            }
            if (schedule != null) {
                schedule.load(in);
            }
            metrics.restore(bestMean, bestMax, in.readBoolean() ? Io.readInts(in) : null);
            List<Candidate> kept = new ArrayList<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                kept.add(readCandidate(in));
            }
            candidates.restore(kept);
            rows.clear();
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                rows.add(MetricsRow.parse(in.readUTF()));
            }
            return counters;
        }
    }

    private static void writeCandidate(DataOutputStream out, Candidate c) throws IOException {
        Io.writeDoubles(out, c.theta);
        out.writeBoolean(c.partition != null);
        if (c.partition != null) {
            Io.writeInts(out, c.partition);
        }
        Io.writeDoubles(out, c.obsMean);
        Io.writeDoubles(out, c.obsStd);
        out.writeDouble(c.score);
        out.writeInt(c.iteration);
    }

    private static Candidate readCandidate(DataInputStream in) throws IOException {
        double[] theta = Io.readDoubles(in);
        int[] partition = in.readBoolean() ? Io.readInts(in) : null;
        return new Candidate(theta, partition, Io.readDoubles(in), Io.readDoubles(in), in.readDouble(), in.readInt());
    }
}
