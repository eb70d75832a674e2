package dev.chromatic.sim.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes an animated, looping GIF with the JDK's ImageIO GIF writer (frame delay and the
 * NETSCAPE2.0 loop extension set through the native metadata tree). Not thread-safe.
 */
public final class GifWriter implements AutoCloseable {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private final ImageWriter writer;
    private final OutputStream file;
    private final ImageOutputStream out;
    private final int delayCentiseconds;
    private boolean first = true;

    public GifWriter(Path file, int delayCentiseconds) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersBySuffix("gif");
        if (!writers.hasNext()) {
            throw new IOException("this JDK has no GIF writer");
        }
        this.writer = writers.next();
        // A stream over a truncating OutputStream: ImageIO's own file stream keeps stale bytes of an older, longer file.
        this.file = new BufferedOutputStream(Files.newOutputStream(file));
        this.out = new MemoryCacheImageOutputStream(this.file);
        this.delayCentiseconds = delayCentiseconds;
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
    }

    /** Appends one frame, mapped onto a fixed 6x6x6 colour cube plus a grey ramp. */
    public void add(BufferedImage rgbFrame) throws IOException {
        BufferedImage frame = toIndexed(rgbFrame);
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayCentiseconds));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});
            apps.appendChild(app);
            first = false;
        }
        metadata.setFromTree(FORMAT, root);
        writer.writeToSequence(new IIOImage(frame, null, metadata), param);
    }

    /** Fixed palette: 216 cube colours (levels 0, 51, .., 255) and 40 greys. */
    static final IndexColorModel PALETTE = palette();

    private static IndexColorModel palette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int i = 0;
        for (int rr = 0; rr < 6; rr++) {
            for (int gg = 0; gg < 6; gg++) {
                for (int bb = 0; bb < 6; bb++) {
                    r[i] = (byte) (rr * 51);
                    g[i] = (byte) (gg * 51);
                    b[i] = (byte) (bb * 51);
                    i++;
                }
            }
        }
        for (int k = 0; k < 40; k++) {
            int v = Math.round(k * 255f / 39f);
            r[i] = (byte) v;
            g[i] = (byte) v;
            b[i] = (byte) v;
            i++;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    /** Nearest palette entry per pixel: greys to the grey ramp, other colours to the cube. */
    static BufferedImage toIndexed(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, PALETTE);
        byte[] data = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                int index;
                if (Math.abs(r - g) < 12 && Math.abs(g - b) < 12) {
                    index = 216 + ((r + g + b) * 39 + 382) / 765;
                } else {
                    index = ((r + 25) / 51) * 36 + ((g + 25) / 51) * 6 + (b + 25) / 51;
                }
                data[y * w + x] = (byte) index;
            }
        }
        return out;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    @Override
    public void close() throws IOException {
        try {
            writer.endWriteSequence();
        } finally {
            out.close();
            file.close();
            writer.dispose();
        }
    }
}
