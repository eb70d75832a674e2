package dev.chromatic.trainer.cluster;

import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.StructureSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The broadcast as plain fields on the wire (no Java serialization descriptors): a few hundred
 * bytes plus 8 per parameter and 4 per partition entry. Encoded once per evaluation.
 */
final class BroadcastCodec {

    private static final int VERSION = 2;

    private BroadcastCodec() {
    }

    static byte[] encode(IterationBroadcast b) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 8 * b.theta.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeUTF(b.envId);
            out.writeUTF(b.envOptions);
            out.writeUTF(b.structure.structure);
            writeInts(out, b.structure.layerSizes);
            out.writeInt(b.structure.colors);
            writeIntRows(out, b.structure.fixedColoring);
            out.writeLong(b.iteration);
            out.writeLong(b.noiseSeed);
            out.writeDouble(b.sigma);
            writeDoubles(out, b.theta);
            writeIntRows(out, b.partitions);
            writeDoubles(out, b.obsMean);
            writeDoubles(out, b.obsStd);
            out.writeDouble(b.obsClip);
            out.writeInt(b.maxSteps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@code bytes}, reusing {@code known} when it equals the encoded structure.
     *
     * @throws IllegalArgumentException for bytes of another version or cut short
     */
    static IterationBroadcast decode(byte[] bytes, StructureSpec known) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("broadcast format " + version + ", this member reads " + VERSION
                        + " (run the same chromatic version on every member)");
            }
            String envId = in.readUTF();
            String envOptions = in.readUTF();
            String name = in.readUTF();
            int[] sizes = readInts(in);
            int colors = in.readInt();
            int[][] fixed = readIntRows(in);
            StructureSpec structure = known != null && known.structure.equals(name) && known.colors == colors
                    && java.util.Arrays.equals(known.layerSizes, sizes) && java.util.Arrays.deepEquals(known.fixedColoring, fixed)
                    ? known : new StructureSpec(name, sizes, colors, fixed);
            return new IterationBroadcast(envId, envOptions, structure, in.readLong(), in.readLong(), in.readDouble(),
                    readDoubles(in), readIntRows(in), readDoubles(in), readDoubles(in), in.readDouble(), in.readInt());
        } catch (IOException e) {
            throw new IllegalArgumentException("broadcast cut short: " + e.getMessage(), e);
        }
    }

    private static void writeInts(DataOutputStream out, int[] v) throws IOException {
        out.writeInt(v.length);
        for (int x : v) {
            out.writeInt(x);
        }
    }

    private static void writeIntRows(DataOutputStream out, int[][] rows) throws IOException {
        out.writeInt(rows == null ? -1 : rows.length);
        if (rows != null) {
            for (int[] r : rows) {
                writeInts(out, r);
            }
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] v = new int[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readInt();
        }
        return v;
    }

    private static int[][] readIntRows(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        int[][] rows = new int[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = readInts(in);
        }
        return rows;
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
