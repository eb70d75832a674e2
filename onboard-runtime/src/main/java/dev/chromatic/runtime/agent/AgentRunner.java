package dev.chromatic.runtime.agent;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Owns one thread that calls {@link Agent#doWork()} and its {@link IdleStrategy} until closed.
 * A throwable escaping {@code doWork} is counted and handed to the error handler; the loop goes on
 * (a robot does not quit on an error inside its loop).
 */
public final class AgentRunner implements AutoCloseable {

    private final Agent agent;
    private final IdleStrategy idle;
    private final Consumer<Throwable> errorHandler;
    private final AtomicLong errors = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private final Runnable threadInit;

    private AgentRunner(Agent agent, IdleStrategy idle, Consumer<Throwable> errorHandler, String threadName,
                        Runnable threadInit) {
        this.agent = agent;
        this.idle = idle;
        this.errorHandler = errorHandler;
        this.threadInit = threadInit;
        this.thread = new Thread(this::run, threadName);
    }

    /** Creates the runner and starts its thread. */
    public static AgentRunner start(Agent agent, IdleStrategy idle, Consumer<Throwable> errorHandler,
                                    boolean daemon) {
        return start(agent, idle, errorHandler, daemon, () -> { });
    }

    /** As {@link #start(Agent, IdleStrategy, Consumer, boolean)}, running {@code threadInit} first on the new thread. */
    public static AgentRunner start(Agent agent, IdleStrategy idle, Consumer<Throwable> errorHandler,
                                    boolean daemon, Runnable threadInit) {
        AgentRunner r = new AgentRunner(agent, idle, errorHandler, "chromatic-" + agent.roleName(), threadInit);
        r.thread.setDaemon(daemon);
        r.thread.start();
        return r;
    }

    private void run() {
        threadInit.run();
        agent.onStart();
        while (running) {
            try {
                int work = agent.doWork();
                idle.idle(work);
            } catch (Throwable t) {
                errors.incrementAndGet();
                try {
                    errorHandler.accept(t);
                } catch (Throwable ignored) {
                    // the handler must not stop the loop either
                }
            }
        }
        agent.onClose();
    }

    /** The thread running the agent (e.g. to read its allocated bytes from outside). */
    public Thread thread() {
        return thread;
    }

    /** Throwables that escaped {@link Agent#doWork()}. */
    public long errorCount() {
        return errors.get();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the loop after the current tick and waits for the thread (at most 5 s). */
    @Override
    public void close() {
        running = false;
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
