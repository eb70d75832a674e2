package dev.chromatic.trainer.es;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EsStrategyTest {

    /** f(x) = -|x - target|^2: the contract every ES configuration must pass. */
    private static double quadratic(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - (i + 1) * 0.5;
            s -= d * d;
        }
        return s;
    }

    private static double solve(Estimator estimator, String optimizer, double lr) {
        double[] theta0 = new double[5];
        EsStrategy es = new EsStrategy(estimator, 8, 4, 0.1, 7, theta0, Optimizer.create(optimizer, lr, 5));
        double[] x = new double[5];
        double[] fitness = new double[es.slotCount()];
        for (int k = 0; k < 300; k++) {
            for (int s = 0; s < es.slotCount(); s++) {
                es.ask(k, s, x);
                fitness[s] = quadratic(x);
            }
            es.tell(k, fitness);
        }
        return quadratic(es.theta());
    }

    @Test
    void antitheticAdamClimbsQuadratic() {
        assertTrue(solve(Estimator.ANTITHETIC, "adam", 0.05) > -0.05);
    }

    @Test
    void forwardDifferenceWithPivotClimbsQuadratic() {
        assertTrue(solve(Estimator.FORWARD, "adam", 0.05) > -0.05);
    }

    @Test
    void sgdClimbsQuadratic() {
        assertTrue(solve(Estimator.ANTITHETIC, "sgd", 0.05) > -0.5);
    }

    @Test
    void workersRegenerateThePerturbationFromIndices() {
        double[] theta0 = {1, 2, 3};
        EsStrategy es = new EsStrategy(Estimator.ANTITHETIC, 4, 1, 0.1, 99, theta0, new Optimizer.Sgd(0.01));
        double[] plus = new double[3];
        double[] minus = new double[3];
        es.ask(5, 2, plus);
        es.ask(5, 3, minus);
        double[] eps = new double[3];
        EsStrategy.perturbation(99, 5, 1, eps);
        for (int j = 0; j < 3; j++) {
            assertEquals(theta0[j] + 0.1 * eps[j], plus[j], 1e-15);
            assertEquals(theta0[j] - 0.1 * eps[j], minus[j], 1e-15);
        }
        double[] exact = new double[3];
        es.ask(5, 8, exact);
        assertArrayEquals(theta0, exact);
    }

    @Test
    void equalReturnsGiveNoStep() {
        double[] theta0 = {0.3, -0.2};
        EsStrategy es = new EsStrategy(Estimator.ANTITHETIC, 3, 2, 0.1, 1, theta0, new Optimizer.Sgd(0.01));
        es.tell(0, new double[es.slotCount()]);
        assertArrayEquals(theta0, es.theta());
    }

    @Test
    void statisticsMergeEqualsOnePass() {
        ObservationStats a = new ObservationStats(2);
        ObservationStats b = new ObservationStats(2);
        ObservationStats all = new ObservationStats(2);
        double[][] xs = {{1, 5}, {2, 5}, {4, 5}, {7, 5}};
        for (int i = 0; i < xs.length; i++) {
            (i < 2 ? a : b).add(xs[i]);
            all.add(xs[i]);
        }
        a.merge(b);
        double[] m1 = new double[2];
        double[] s1 = new double[2];
        double[] m2 = new double[2];
        double[] s2 = new double[2];
        a.meanStd(m1, s1);
        all.meanStd(m2, s2);
        assertArrayEquals(m2, m1, 1e-12);
        assertArrayEquals(s2, s1, 1e-12);
        assertEquals(3.5, m1[0], 1e-12);
        assertEquals(Math.sqrt(5.25), s1[0], 1e-12);
        assertEquals(1.0, s1[1], 0.0, "a constant observation gets std 1");
    }
}
