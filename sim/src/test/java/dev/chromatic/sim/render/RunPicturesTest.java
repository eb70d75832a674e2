package dev.chromatic.sim.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.gait.OpenLoopTrot;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPicturesTest {

    @TempDir
    Path dir;

    @Test
    void trotIsDrawnAsAnimatedGifGaitDiagramAndPlots() throws Exception {
        Trajectory t = new Trajectory(120);
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.defaults())) {
            sim.reset(1);
            MotorCommand cmd = new MotorCommand(8);
            OpenLoopTrot trot = OpenLoopTrot.reference(sim.spec());
            t.record(sim);
            for (int i = 0; i < 119; i++) {
                trot.command(sim.simTimeNs(), cmd);
                sim.write(cmd);
                t.record(sim);
            }
        }
        assertEquals(120, t.size());
        // a trot alternates diagonal pairs: no leg is always down, none always up
        for (int leg = 0; leg < 4; leg++) {
            assertTrue(t.dutyFactor(leg) > 0.1 && t.dutyFactor(leg) < 0.95, "duty of leg " + leg + " = " + t.dutyFactor(leg));
        }
        List<Path> files = RunPictures.write(t, 0.01, "open-loop trot", dir);
        assertEquals(3, files.size());
        try (ImageInputStream in = ImageIO.createImageInputStream(files.get(0).toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(30, reader.getNumImages(true), "120 steps of 10 ms at 25 fps");
            BufferedImage first = reader.read(0);
            BufferedImage last = reader.read(29);
            assertEquals(2 * StickFigure.PANEL_W, first.getWidth());
            assertNotEquals(checksum(first), checksum(last), "the robot moved, frames must differ");
        }
        BufferedImage gait = ImageIO.read(files.get(1).toFile());
        BufferedImage base = ImageIO.read(files.get(2).toFile());
        assertTrue(gait.getWidth() > 0 && base.getHeight() > 0);
        assertTrue(Files.size(files.get(0)) > 1000);
    }

    private static long checksum(BufferedImage image) {
        long sum = 0;
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                sum = sum * 31 + image.getRGB(x, y);
            }
        }
        return sum;
    }
}
