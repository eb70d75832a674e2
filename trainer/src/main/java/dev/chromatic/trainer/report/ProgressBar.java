package dev.chromatic.trainer.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line terminal progress bar for training: iterations done, current mean and max return,
 * elapsed time and ETA, redrawn in place with a carriage return.
 */
public final class ProgressBar {

    private final PrintStream out;
    private final int width;

    public ProgressBar(PrintStream out, int width) {
        this.out = out;
        this.width = width;
    }

    /** Redraws the bar after iteration {@code row.iteration}; {@code secondsThisRun} paces the ETA. */
    public void update(MetricsRow row, int total, int doneThisRun, double secondsThisRun) {
        int done = row.iteration + 1;
        int filled = (int) Math.round(width * done / (double) total);
        StringBuilder sb = new StringBuilder("\r[");
        for (int i = 0; i < width; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        double eta = doneThisRun > 0 ? secondsThisRun / doneThisRun * (total - done) : 0;
        sb.append(String.format(Locale.ROOT, "] %d/%d  mean %.2f  max %.2f  %s elapsed  ETA %s ",
                done, total, row.meanReturn, row.maxReturn, clock(row.seconds), clock(eta)));
        out.print(sb);
        if (done == total) {
            out.println();
        }
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
