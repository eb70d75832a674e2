package dev.chromatic.trainer.exec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code task(i, worker)} for {@code i in [0, n)} on a fixed set of worker threads and waits.
 * The worker index (0 .. threads-1) selects per-thread scratch; results must depend only on
 * {@code i}, never on the worker, so any thread count gives the same answer.
 */
public final class ParallelFor implements AutoCloseable {

    /** A unit of work with the index of the worker running it. */
    @FunctionalInterface
    public interface Task {
        void run(int index, int worker) throws Exception;
    }

    private final int threads;
    private final ExecutorService pool;

    public ParallelFor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        AtomicInteger made = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "chromatic-worker-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs every index once; rethrows the first failure after all workers stop. */
    public void run(int n, Task task) {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int w = 1; w < threads && w < n; w++) {
            final int worker = w;
            futures.add(pool.submit(() -> drain(n, next, task, worker, failure)));
        }
        drain(n, next, task, 0, failure);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (Exception e) {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            }
        }
        if (failure[0] != null) {
            Throwable t = failure[0];
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            throw new IllegalStateException(t.getMessage(), t);
        }
    }

    private static void drain(int n, AtomicInteger next, Task task, int worker, Throwable[] failure) {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            try {
                task.run(i, worker);
            } catch (Throwable t) {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = t;
                    }
                }
                next.set(n);
                return;
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
