package dev.chromatic.sim.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes the pictures of a run into a directory: {@code robot.gif} (side and top stick-figure
 * views at 25 frames per second of simulated time), {@code gait.png} (foot contacts over time) and
 * {@code base.png} (base height and forward velocity). Runs headless.
 */
public final class RunPictures {

    public static final String GIF = "robot.gif";
    public static final String GAIT = "gait.png";
    public static final String BASE = "base.png";

    private RunPictures() {
    }

    /**
     * Writes the three files for a trajectory recorded every {@code controlPeriodS} seconds and
     * returns their paths.
     */
    public static List<Path> write(Trajectory t, double controlPeriodS, String title, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Path gif = dir.resolve(GIF);
        int stride = Math.max(1, (int) Math.round(0.04 / controlPeriodS));
        int delayCs = (int) Math.max(2, Math.round(stride * controlPeriodS * 100));
        try (GifWriter writer = new GifWriter(gif, delayCs)) {
            for (int i = 0; i < t.size(); i += stride) {
                writer.add(StickFigure.draw(t, i, title));
            }
        }
        Path gait = dir.resolve(GAIT);
        ImageIO.write(Charts.gaitDiagram(t, title), "png", gait.toFile());
        Path base = dir.resolve(BASE);
        ImageIO.write(Charts.basePlots(t, title), "png", base.toFile());
        return List.of(gif, gait, base);
    }
}
