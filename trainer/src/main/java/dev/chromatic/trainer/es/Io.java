package dev.chromatic.trainer.es;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Length-prefixed arrays for checkpoints; a length mismatch on read is a corrupt checkpoint. */
public final class Io {

    private Io() {
    }

    public static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) {
            out.writeDouble(d);
        }
    }

    /** Reads into {@code into}, which must have the stored length. */
    public static void readDoubles(DataInputStream in, double[] into) throws IOException {
        int n = in.readInt();
        if (n != into.length) {
            throw new IOException("checkpoint array has " + n + " entries, expected " + into.length);
        }
        for (int i = 0; i < n; i++) {
            into[i] = in.readDouble();
        }
    }

    public static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 28)) {
            throw new IOException("checkpoint array length " + n + " is out of range");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    public static void writeInts(DataOutputStream out, int[] v) throws IOException {
        out.writeInt(v.length);
        for (int d : v) {
            out.writeInt(d);
        }
    }

    public static int[] readInts(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 28)) {
            throw new IOException("checkpoint array length " + n + " is out of range");
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readInt();
        }
        return v;
    }
}
