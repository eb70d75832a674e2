package dev.chromatic.trainer.report;

/**
 * Displacement rank of a weight matrix (paper, Appendix B, Fig. 7): the rank of {@code F R - R A}
 * for a pair of band matrices (F, A), after entries of R with magnitude below 0.1 are rounded to 0
 * as in the paper's figure. Two pairs, after Sindhwani et al. 2015 (Table 1) and Pan's
 * "Structured Matrices and Polynomials":
 * <ul>
 *   <li>Toeplitz-like: {@code (Z_1, Z_-1)}, {@code Z_f} the shift matrix (ones on the subdiagonal,
 *       f in the top right corner); a Toeplitz matrix has rank at most 2.</li>
 *   <li>Toeplitz-Hankel-like: {@code (Y_00, Y_11)}, {@code Y_ab = Z_0 + Z_0^T + a e_1 e_1^T +
 *       b e_n e_n^T} (ones on both off-diagonals, a and b in the corners of the diagonal); a sum of a
 *       Toeplitz and a Hankel matrix has rank at most 4.</li>
 * </ul>
 * A rows x cols matrix has full displacement rank min(rows, cols).
 */
public final class DisplacementRank {

    private DisplacementRank() {
    }

    /** Rank of {@code Z_1 R - R Z_-1}; {@code r} is row-major {@code rows x cols}. */
    public static int toeplitz(double[] r, int rows, int cols) {
        double[][] m = rounded(r, rows, cols);
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

    /** Rank of {@code Y_00 R - R Y_11}; {@code r} is row-major {@code rows x cols}. */
    public static int toeplitzHankel(double[] r, int rows, int cols) {
        double[][] m = rounded(r, rows, cols);
        double[][] d = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                // (Y_00 R)_ij = R_{i-1, j} + R_{i+1, j}
                double yr = (i > 0 ? m[i - 1][j] : 0.0) + (i < rows - 1 ? m[i + 1][j] : 0.0);
                // (R Y_11)_ij = R_{i, j-1} + R_{i, j+1}, plus R_{i, j} itself in the first and last column
                double ry = (j > 0 ? m[i][j - 1] : m[i][j]) + (j < cols - 1 ? m[i][j + 1] : m[i][j]);
                d[i][j] = yr - ry;
            }
        }
        return rank(d);
    }

    private static double[][] rounded(double[] r, int rows, int cols) {
        if (rows < 1 || cols < 1 || r.length != rows * cols) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix needs " + rows * cols
                    + " entries, got " + r.length);
        }
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = Math.abs(r[i * cols + j]) < 0.1 ? 0.0 : r[i * cols + j];
            }
        }
        return m;
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
