package dev.chromatic.trainer.es;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A first-order ascent step on a parameter vector: {@code theta += step(g)}. Holds its own state
 * (Adam moments) so a checkpoint can save and restore it exactly.
 */
public interface Optimizer {

    /** Applies one ascent step along the gradient estimate {@code g} to {@code theta} in place. */
    void ascend(double[] theta, double[] g);

    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;

    /** {@code sgd} or {@code adam} with learning rate {@code lr} for {@code dim} parameters. */
    static Optimizer create(String name, double lr, int dim) {
        switch (name) {
            case "sgd":
                return new Sgd(lr);
            case "adam":
                return new Adam(lr, dim);
            default:
                throw new IllegalArgumentException("optimizer must be sgd or adam, was '" + name + "'");
        }
    }

    /** Plain gradient ascent: {@code theta += lr * g}. */
    final class Sgd implements Optimizer {
        private final double lr;

        public Sgd(double lr) {
            this.lr = lr;
        }

        @Override
        public void ascend(double[] theta, double[] g) {
            for (int i = 0; i < theta.length; i++) {
                theta[i] += lr * g[i];
            }
        }

        @Override
        public void save(DataOutputStream out) {
        }

        @Override
        public void load(DataInputStream in) {
        }
    }

    /**
     * Adam (Kingma and Ba 2015), beta1 0.9, beta2 0.999, eps 1e-8:
     * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; theta += lr * mhat / (sqrt(vhat) + eps)}.
     */
    final class Adam implements Optimizer {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPS = 1e-8;
        private final double lr;
        private final double[] m;
        private final double[] v;
        private long t;

        public Adam(double lr, int dim) {
            this.lr = lr;
            this.m = new double[dim];
            this.v = new double[dim];
        }

        @Override
        public void ascend(double[] theta, double[] g) {
            t++;
            double c1 = 1.0 - Math.pow(BETA1, t);
            double c2 = 1.0 - Math.pow(BETA2, t);
            for (int i = 0; i < theta.length; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
                theta[i] += lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
            }
        }

        @Override
        public void save(DataOutputStream out) throws IOException {
            out.writeLong(t);
            Io.writeDoubles(out, m);
            Io.writeDoubles(out, v);
        }

        @Override
        public void load(DataInputStream in) throws IOException {
            t = in.readLong();
            Io.readDoubles(in, m);
            Io.readDoubles(in, v);
        }
    }
}
