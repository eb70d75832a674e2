package dev.chromatic.sim.render;

import dev.chromatic.sim.MinitaurSim;

/**
 * A recorded run for pictures: per control step the time, base position, roll/pitch/yaw, base
 * velocity, the four points of every leg (hip, front knee, back knee, toe) and the foot contacts.
 * Storage is allocated up front for {@code capacity} steps; {@link #record} does not allocate.
 * Not thread-safe.
 */
public final class Trajectory {

    public static final int LEG_POINTS = 4;

    private final int capacity;
    private final double[] timeS;
    private final double[] base;
    private final double[] rpy;
    private final double[] velocity;
    private final double[] legs;
    private final boolean[] contacts;
    private final double[] legScratch = new double[LEG_POINTS * 3];
    private final boolean[] contactScratch = new boolean[4];
    private final double[] vecScratch = new double[3];
    private int size;

    public Trajectory(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
        }
        this.capacity = capacity;
        timeS = new double[capacity];
        base = new double[capacity * 3];
        rpy = new double[capacity * 3];
        velocity = new double[capacity * 3];
        legs = new double[capacity * 4 * LEG_POINTS * 3];
        contacts = new boolean[capacity * 4];
    }

    /** Appends the sim's current state; ignored once full. */
    public void record(MinitaurSim sim) {
        if (size >= capacity) {
            return;
        }
        int i = size;
        timeS[i] = sim.simTimeNs() * 1e-9;
        sim.basePosition(vecScratch);
        System.arraycopy(vecScratch, 0, base, 3 * i, 3);
        sim.baseRollPitchYaw(vecScratch);
        System.arraycopy(vecScratch, 0, rpy, 3 * i, 3);
        sim.baseVelocity(vecScratch);
        System.arraycopy(vecScratch, 0, velocity, 3 * i, 3);
        for (int leg = 0; leg < 4; leg++) {
            sim.legPoints(leg, legScratch);
            System.arraycopy(legScratch, 0, legs, ((i * 4) + leg) * LEG_POINTS * 3, LEG_POINTS * 3);
        }
        sim.footContacts(contactScratch);
        System.arraycopy(contactScratch, 0, contacts, 4 * i, 4);
        size++;
    }

    public int size() {
        return size;
    }

    public double timeS(int step) {
        return timeS[step];
    }

    /** Base position component (0 x, 1 y, 2 z). */
    public double base(int step, int axis) {
        return base[3 * step + axis];
    }

    public double rollPitchYaw(int step, int axis) {
        return rpy[3 * step + axis];
    }

    public double velocity(int step, int axis) {
        return velocity[3 * step + axis];
    }

    /** Coordinate {@code axis} of point {@code point} (0 hip, 1 front knee, 2 back knee, 3 toe) of a leg. */
    public double legPoint(int step, int leg, int point, int axis) {
        return legs[(((step * 4) + leg) * LEG_POINTS + point) * 3 + axis];
    }

    public boolean contact(int step, int leg) {
        return contacts[4 * step + leg];
    }

    /** Fraction of recorded steps on which {@code leg} touched the ground. */
    public double dutyFactor(int leg) {
        if (size == 0) {
            return 0.0;
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (contacts[4 * i + leg]) {
                n++;
            }
        }
        return (double) n / size;
    }
}
