package dev.chromatic.sim.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** The still pictures of a {@link Trajectory}: a gait diagram and base height / velocity plots. */
public final class Charts {

    private static final String[] LEG_NAMES = {"front left", "back left", "front right", "back right"};
    private static final int LEFT_MARGIN = 90;
    private static final int RIGHT_MARGIN = 20;
    private static final int DUTY_LABEL_W = 70;

    private Charts() {
    }

    /** Foot contacts over time: one row per leg, black where the toe touches the ground. */
    public static BufferedImage gaitDiagram(Trajectory t, String title) {
        int w = 900;
        int rowH = 34;
        int top = 30;
        int h = top + 4 * rowH + 40;
        BufferedImage image = canvas(w, h);
        Graphics2D g = graphics(image);
        try {
            g.drawString("Foot contacts: " + title, LEFT_MARGIN, 18);
            int plotW = w - LEFT_MARGIN - RIGHT_MARGIN - DUTY_LABEL_W;
            int n = Math.max(t.size(), 1);
            for (int leg = 0; leg < 4; leg++) {
                int y = top + leg * rowH;
                g.setColor(Color.BLACK);
                g.drawString(LEG_NAMES[leg], 8, y + rowH / 2 + 5);
                g.setColor(new Color(235, 235, 235));
                g.fillRect(LEFT_MARGIN, y + 4, plotW, rowH - 8);
                g.setColor(Color.BLACK);
                for (int i = 0; i < t.size(); i++) {
                    if (t.contact(i, leg)) {
                        int x0 = LEFT_MARGIN + (int) ((long) i * plotW / n);
                        int x1 = LEFT_MARGIN + (int) ((long) (i + 1) * plotW / n);
                        g.fillRect(x0, y + 4, Math.max(1, x1 - x0), rowH - 8);
                    }
                }
                g.drawString(String.format("%.0f%% down", 100 * t.dutyFactor(leg)), w - RIGHT_MARGIN - DUTY_LABEL_W + 8,
                        y + rowH / 2 + 5);
            }
            timeAxis(g, t, LEFT_MARGIN, top + 4 * rowH + 4, plotW);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Base height and forward velocity over time, one plot above the other. */
    public static BufferedImage basePlots(Trajectory t, String title) {
        int w = 900;
        int plotH = 180;
        int h = 2 * (plotH + 50) + 20;
        BufferedImage image = canvas(w, h);
        Graphics2D g = graphics(image);
        try {
            int plotW = w - LEFT_MARGIN - RIGHT_MARGIN;
            double[] z = new double[t.size()];
            double[] vx = new double[t.size()];
            for (int i = 0; i < t.size(); i++) {
                z[i] = t.base(i, 2);
                vx[i] = t.velocity(i, 0);
            }
            g.drawString("Base height z (m): " + title, LEFT_MARGIN, 18);
            line(g, t, z, LEFT_MARGIN, 28, plotW, plotH, new Color(20, 90, 170));
            g.setColor(Color.BLACK);
            g.drawString("Base forward velocity vx (m/s)", LEFT_MARGIN, 28 + plotH + 40);
            line(g, t, vx, LEFT_MARGIN, 28 + plotH + 50, plotW, plotH, new Color(180, 60, 30));
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void line(Graphics2D g, Trajectory t, double[] v, int x0, int y0, int w, int h, Color color) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        if (v.length == 0) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-6) {
            hi += 0.05;
            lo -= 0.05;
        }
        double pad = 0.05 * (hi - lo);
        lo -= pad;
        hi += pad;
        g.setColor(new Color(248, 248, 248));
        g.fillRect(x0, y0, w, h);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = 0; k <= 4; k++) {
            double val = lo + (hi - lo) * k / 4;
            int y = y0 + h - (int) Math.round((val - lo) / (hi - lo) * h);
            g.setColor(new Color(220, 220, 220));
            g.drawLine(x0, y, x0 + w, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.3f", val), x0 - 50, y + 4);
        }
        if (lo < 0 && hi > 0) {
            int y = y0 + h - (int) Math.round((0 - lo) / (hi - lo) * h);
            g.setColor(Color.GRAY);
            g.drawLine(x0, y, x0 + w, y);
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(1.6f));
        int n = Math.max(v.length - 1, 1);
        for (int i = 1; i < v.length; i++) {
            int xa = x0 + (int) ((long) (i - 1) * w / n);
            int xb = x0 + (int) ((long) i * w / n);
            int ya = y0 + h - (int) Math.round((v[i - 1] - lo) / (hi - lo) * h);
            int yb = y0 + h - (int) Math.round((v[i] - lo) / (hi - lo) * h);
            g.drawLine(xa, ya, xb, yb);
        }
        g.setStroke(new BasicStroke(1f));
        timeAxis(g, t, x0, y0 + h + 2, w);
    }

    private static void timeAxis(Graphics2D g, Trajectory t, int x0, int y, int w) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        if (t.size() == 0) {
            return;
        }
        double t0 = t.timeS(0);
        double t1 = t.timeS(t.size() - 1);
        for (int k = 0; k <= 5; k++) {
            double ts = t0 + (t1 - t0) * k / 5;
            int x = x0 + w * k / 5;
            g.drawLine(x, y, x, y + 4);
            g.drawString(String.format("%.1f s", ts), x - 14, y + 16);
        }
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return g;
    }
}
