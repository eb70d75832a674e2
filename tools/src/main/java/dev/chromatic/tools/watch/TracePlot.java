package dev.chromatic.tools.watch;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Collects traces from telemetry and draws them into a PNG with the headless java.awt: roll and
 * pitch, the policy's actions, and loop lateness, against loop time; stretches in the safe state
 * are shaded. Keeps at most {@link #MAX_POINTS} samples (the oldest are thinned out).
 */
final class TracePlot {

    static final int MAX_POINTS = 200_000;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private final List<TelemetryBatch.Sample> points = new ArrayList<>();
    private int stride = 1;
    private long seen;

    void add(TelemetryBatch b) {
        for (TelemetryBatch.Sample s : b.samples()) {
            if (seen++ % stride != 0) {
                continue;
            }
            points.add(s);
            if (points.size() >= MAX_POINTS) {
                List<TelemetryBatch.Sample> half = new ArrayList<>(MAX_POINTS / 2);
                for (int i = 0; i < points.size(); i += 2) {
                    half.add(points.get(i));
                }
                points.clear();
                points.addAll(half);
                stride *= 2;
            }
        }
    }

    int size() {
        return points.size();
    }

    /** Draws the traces to {@code file} (PNG). */
    void write(Path file, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 1200;
        int h = 900;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 70, 24);
        if (points.isEmpty()) {
            g.drawString("no samples", w / 2 - 40, h / 2);
        } else {
            long t0 = points.get(0).timeNs();
            double tEnd = (points.get(points.size() - 1).timeNs() - t0) * 1e-9;
            int top = 40;
            int ph = (h - top - 40) / 3;
            panel(g, 70, top, w - 100, ph - 30, t0, tEnd, "attitude (rad)",
                    new String[] {"roll", "pitch"}, s -> new double[] {s.rollRad(), s.pitchRad()});
            int actions = points.get(0).action().length;
            String[] names = new String[actions];
            for (int i = 0; i < actions; i++) {
                names[i] = "a" + i;
            }
            panel(g, 70, top + ph, w - 100, ph - 30, t0, tEnd, "action", names, s -> {
                double[] v = new double[actions];
                for (int i = 0; i < actions && i < s.action().length; i++) {
                    v[i] = s.action()[i];
                }
                return v;
            });
            panel(g, 70, top + 2 * ph, w - 100, ph - 30, t0, tEnd, "lateness (us)",
                    new String[] {"lateness"}, s -> new double[] {s.latenessNs() / 1000.0});
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private interface Series {
        double[] values(TelemetryBatch.Sample s);
    }

    private void panel(Graphics2D g, int x, int y, int w, int h, long t0, double tEnd, String label, String[] names,
                       Series series) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (TelemetryBatch.Sample s : points) {
            for (double v : series.values(s)) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 1 : -1;
            hi = lo + 2;
        }
        double span = tEnd > 0 ? tEnd : 1;
        g.setColor(new Color(255, 225, 225));
        for (int i = 0; i + 1 < points.size(); i++) {
            if (points.get(i).state() == 2) {
                int xa = x + (int) ((points.get(i).timeNs() - t0) * 1e-9 / span * w);
                int xb = x + (int) ((points.get(i + 1).timeNs() - t0) * 1e-9 / span * w);
                g.fillRect(xa, y, Math.max(1, xb - xa), h);
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(label, x, y - 4);
        g.drawString(String.format("%.3g", hi), x - 60, y + 12);
        g.drawString(String.format("%.3g", lo), x - 60, y + h);
        g.drawString("0 s", x, y + h + 14);
        g.drawString(String.format("%.2f s", tEnd), x + w - 50, y + h + 14);
        int nSeries = names.length;
        int[] px = new int[points.size()];
        int[] py = new int[points.size()];
        for (int k = 0; k < nSeries; k++) {
            for (int i = 0; i < points.size(); i++) {
                TelemetryBatch.Sample s = points.get(i);
                double v = series.values(s)[k];
                px[i] = x + (int) ((s.timeNs() - t0) * 1e-9 / span * w);
                py[i] = y + h - (int) (((Double.isFinite(v) ? v : lo) - lo) / (hi - lo) * h);
            }
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(new BasicStroke(1.2f));
            g.drawPolyline(px, py, points.size());
            g.drawString(names[k], x + w - 60 - 40 * (nSeries - 1 - k % 12), y + 14);
        }
    }
}
