package dev.chromatic.trainer.report;

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
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Line charts of training curves drawn with java.awt in headless mode and saved as PNG: one or
 * more named series over a shared x axis, with axes, tick labels and a legend.
 */
public final class CurvePlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();

    public CurvePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public CurvePlot series(String name, double[] x, double[] y) {
        names.add(name);
        xs.add(x);
        ys.add(y);
        return this;
    }

    /** Mean, max and pivot returns over iterations. */
    public static CurvePlot returns(String title, List<MetricsRow> rows) {
        int n = rows.size();
        double[] x = new double[n];
        double[] mean = new double[n];
        double[] max = new double[n];
        double[] pivot = new double[n];
        for (int i = 0; i < n; i++) {
            MetricsRow r = rows.get(i);
            x[i] = r.iteration;
            mean[i] = r.meanReturn;
            max[i] = r.maxReturn;
            pivot[i] = r.pivotReturn;
        }
        return new CurvePlot(title, "iteration", "return").series("mean", x, mean).series("max", x, max)
                .series("pivot", x, pivot);
    }

    public void write(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 900;
        int h = 540;
        int left = 80;
        int right = 20;
        int top = 40;
        int bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            double xmin = Double.POSITIVE_INFINITY;
            double xmax = Double.NEGATIVE_INFINITY;
            double ymin = Double.POSITIVE_INFINITY;
            double ymax = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < ys.size(); s++) {
                for (int i = 0; i < ys.get(s).length; i++) {
                    double xv = xs.get(s)[i];
                    double yv = ys.get(s)[i];
                    if (Double.isFinite(xv) && Double.isFinite(yv)) {
                        xmin = Math.min(xmin, xv);
                        xmax = Math.max(xmax, xv);
                        ymin = Math.min(ymin, yv);
                        ymax = Math.max(ymax, yv);
                    }
                }
            }
            if (!Double.isFinite(xmin)) {
                xmin = 0;
                xmax = 1;
                ymin = 0;
                ymax = 1;
            }
            if (xmax == xmin) {
                xmax = xmin + 1;
            }
            if (ymax == ymin) {
                ymax = ymin + 1;
            }
            double pad = 0.05 * (ymax - ymin);
            ymin -= pad;
            ymax += pad;
            int pw = w - left - right;
            int ph = h - top - bottom;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int t = 0; t <= 5; t++) {
                double yv = ymin + (ymax - ymin) * t / 5.0;
                int py = top + ph - (int) Math.round(ph * t / 5.0);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(left, py, left + pw, py);
                g.setColor(Color.DARK_GRAY);
                g.drawString(label(yv), 5, py + 4);
                double xv = xmin + (xmax - xmin) * t / 5.0;
                int px = left + (int) Math.round(pw * t / 5.0);
                g.drawString(label(xv), px - 12, top + ph + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(left, top, pw, ph);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, left, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(xLabel, left + pw / 2 - 20, h - 20);
            g.drawString(yLabel, 5, top - 8);
            g.setStroke(new BasicStroke(1.6f));
            for (int s = 0; s < ys.size(); s++) {
                g.setColor(PALETTE[s % PALETTE.length]);
                double[] x = xs.get(s);
                double[] y = ys.get(s);
                int px0 = -1;
                int py0 = -1;
                for (int i = 0; i < y.length; i++) {
                    if (!Double.isFinite(y[i])) {
                        px0 = -1;
                        continue;
                    }
                    int px = left + (int) Math.round((x[i] - xmin) / (xmax - xmin) * pw);
                    int py = top + ph - (int) Math.round((y[i] - ymin) / (ymax - ymin) * ph);
                    if (px0 >= 0) {
                        g.drawLine(px0, py0, px, py);
                    }
                    px0 = px;
                    py0 = py;
                }
                g.fillRect(left + pw - 150, top + 10 + 16 * s, 18, 4);
                g.setColor(Color.BLACK);
                g.drawString(names.get(s), left + pw - 126, top + 16 + 16 * s);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static String label(double v) {
        if (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v != 0)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
