package dev.chromatic.sim.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Draws one frame of a {@link Trajectory}: a side view (x forward, z up) and a top view (x forward,
 * y left), each following the robot, with ground ticks every 10 cm so motion shows. Left legs dark
 * blue, right legs orange; a filled red toe touches the ground.
 */
public final class StickFigure {

    public static final int PANEL_W = 400;
    public static final int PANEL_H = 240;
    public static final int HEADER_H = 22;
    static final double PX_PER_M = 400.0;
    private static final Color LEFT = new Color(20, 50, 160);
    private static final Color RIGHT = new Color(230, 120, 20);
    private static final Color BODY = new Color(60, 60, 60);
    private static final Color GROUND = new Color(120, 100, 80);

    private StickFigure() {
    }

    /** A new image with the side and top views of step {@code step}. */
    public static BufferedImage draw(Trajectory t, int step, String title) {
        BufferedImage image = new BufferedImage(2 * PANEL_W, PANEL_H + HEADER_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(String.format("%s   t = %.2f s   x = %.2f m   vx = %.2f m/s   z = %.3f m", title,
                    t.timeS(step), t.base(step, 0), t.velocity(step, 0), t.base(step, 2)), 8, 16);
            g.translate(0, HEADER_H);
            side(g, t, step);
            g.translate(PANEL_W, 0);
            top(g, t, step);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void side(Graphics2D g, Trajectory t, int step) {
        double cx = t.base(step, 0);
        int groundY = PANEL_H - 30;
        g.setColor(new Color(245, 245, 250));
        g.fillRect(0, 0, PANEL_W, PANEL_H);
        g.setColor(GROUND);
        g.setStroke(new BasicStroke(2f));
        g.drawLine(0, groundY, PANEL_W, groundY);
        tick(g, cx, groundY);
        g.setColor(Color.GRAY);
        g.drawString("side", 6, 14);
        // right legs first (behind), then the body, then left legs in front
        for (int leg : new int[] {2, 3}) {
            legSide(g, t, step, leg, cx, groundY, RIGHT);
        }
        g.setColor(BODY);
        g.setStroke(new BasicStroke(7f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(sx(t.legPoint(step, 1, 0, 0), cx), sz(t.legPoint(step, 1, 0, 2), groundY),
                sx(t.legPoint(step, 0, 0, 0), cx), sz(t.legPoint(step, 0, 0, 2), groundY));
        for (int leg : new int[] {0, 1}) {
            legSide(g, t, step, leg, cx, groundY, LEFT);
        }
    }

    private static void legSide(Graphics2D g, Trajectory t, int step, int leg, double cx, int groundY, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int hx = sx(t.legPoint(step, leg, 0, 0), cx);
        int hz = sz(t.legPoint(step, leg, 0, 2), groundY);
        int tx = sx(t.legPoint(step, leg, 3, 0), cx);
        int tz = sz(t.legPoint(step, leg, 3, 2), groundY);
        for (int knee = 1; knee <= 2; knee++) {
            int kx = sx(t.legPoint(step, leg, knee, 0), cx);
            int kz = sz(t.legPoint(step, leg, knee, 2), groundY);
            g.drawLine(hx, hz, kx, kz);
            g.drawLine(kx, kz, tx, tz);
        }
        toe(g, tx, tz, t.contact(step, leg));
    }

    private static void top(Graphics2D g, Trajectory t, int step) {
        double cx = t.base(step, 0);
        double cy = t.base(step, 1);
        g.setColor(new Color(240, 248, 240));
        g.fillRect(0, 0, PANEL_W, PANEL_H);
        g.setColor(new Color(190, 190, 190));
        g.setStroke(new BasicStroke(1f));
        double first = Math.ceil((cx - 0.5) * 10) / 10;
        for (double x = first; x < cx + 0.5; x += 0.1) {
            int px = (int) Math.round(PANEL_W / 2.0 + (x - cx) * PX_PER_M);
            g.drawLine(px, 0, px, PANEL_H);
        }
        g.setColor(Color.GRAY);
        g.drawString("top", 6, 14);
        g.setColor(new Color(150, 150, 220));
        g.setStroke(new BasicStroke(1.5f));
        for (int i = Math.max(1, step - 300); i <= step; i++) {
            g.drawLine(tx(t.base(i - 1, 0), cx), ty(t.base(i - 1, 1), cy), tx(t.base(i, 0), cx), ty(t.base(i, 1), cy));
        }
        int[] order = {0, 2, 3, 1};
        int[] xs = new int[4];
        int[] ys = new int[4];
        for (int k = 0; k < 4; k++) {
            xs[k] = tx(t.legPoint(step, order[k], 0, 0), cx);
            ys[k] = ty(t.legPoint(step, order[k], 0, 1), cy);
        }
        g.setColor(new Color(200, 200, 200));
        g.fillPolygon(xs, ys, 4);
        g.setColor(BODY);
        g.setStroke(new BasicStroke(2f));
        g.drawPolygon(xs, ys, 4);
        for (int leg = 0; leg < 4; leg++) {
            g.setColor(leg < 2 ? LEFT : RIGHT);
            g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            int hx = tx(t.legPoint(step, leg, 0, 0), cx);
            int hy = ty(t.legPoint(step, leg, 0, 1), cy);
            int px = tx(t.legPoint(step, leg, 3, 0), cx);
            int py = ty(t.legPoint(step, leg, 3, 1), cy);
            g.drawLine(hx, hy, px, py);
            toe(g, px, py, t.contact(step, leg));
        }
        // heading arrow (+x)
        g.setColor(Color.DARK_GRAY);
        g.drawString("+x \u2192", PANEL_W - 50, PANEL_H - 8);
    }

    private static void tick(Graphics2D g, double cx, int groundY) {
        g.setStroke(new BasicStroke(1f));
        double first = Math.ceil((cx - 0.5) * 10) / 10;
        for (double x = first; x < cx + 0.5; x += 0.1) {
            int px = sx(x, cx);
            g.drawLine(px, groundY, px, groundY + 6);
        }
    }

    private static void toe(Graphics2D g, int x, int y, boolean contact) {
        if (contact) {
            g.setColor(Color.RED);
            g.fillOval(x - 5, y - 5, 10, 10);
        } else {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.drawOval(x - 4, y - 4, 8, 8);
        }
    }

    private static int sx(double x, double cx) {
        return (int) Math.round(PANEL_W / 2.0 + (x - cx) * PX_PER_M);
    }

    private static int sz(double z, int groundY) {
        return (int) Math.round(groundY - z * PX_PER_M);
    }

    private static int tx(double x, double cx) {
        return (int) Math.round(PANEL_W / 2.0 + (x - cx) * PX_PER_M);
    }

    private static int ty(double y, double cy) {
        return (int) Math.round(PANEL_H / 2.0 - (y - cy) * PX_PER_M);
    }
}
