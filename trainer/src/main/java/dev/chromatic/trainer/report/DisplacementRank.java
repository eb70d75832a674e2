package dev.chromatic.trainer.report;

/**
 * Displacement rank of a weight matrix (paper, Appendix B): the rank of
 * {@code Z_1 R - R Z_-1} with {@code Z_f} the shift matrix (ones on the subdiagonal, f in the top
 * right corner) of the matching size; Toeplitz matrices have rank at most 2. Entries of R with
 * magnitude below 0.1 are first rounded to 0, as in the paper's Fig. 7.
 */
public final class DisplacementRank {

    private DisplacementRank() {
    }

    /** {@code r} is row-major {@code rows x cols}. */
    public static int of(double[] r, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = Math.abs(r[i * cols + j]) < 0.1 ? 0.0 : r[i * cols + j];
            }
        }
        double[][] d = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                // (Z_1 R)_ij = R_{i-1, j}, row 0 takes R_{rows-1, j}
                double zr = i > 0 ? m[i - 1][j] : m[rows - 1][j];
                // (R Z_-1)_ij = R_{i, j+1} for j < cols-1, last column takes -R_{i, 0}
                double rz = j < cols - 1 ? m[i][j + 1] : -m[i][0];
                d[i][j] = zr - rz;
            }
        }
        return rank(d);
    }

    /** Rank by Gaussian elimination with partial pivoting (relative tolerance 1e-9). */
    public static int rank(double[][] a) {
        int rows = a.length;
        int cols = rows == 0 ? 0 : a[0].length;
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double tol = 1e-9 * Math.max(scale, 1e-300);
        int rank = 0;
        for (int col = 0; col < cols && rank < rows; col++) {
            int pivot = rank;
            for (int i = rank + 1; i < rows; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
                    pivot = i;
                }
            }
            if (Math.abs(a[pivot][col]) <= tol) {
                continue;
            }
            double[] t = a[pivot];
            a[pivot] = a[rank];
            a[rank] = t;
            for (int i = rank + 1; i < rows; i++) {
                double f = a[i][col] / a[rank][col];
                for (int j = col; j < cols; j++) {
                    a[i][j] -= f * a[rank][j];
                }
            }
            rank++;
        }
        return rank;
    }
}
