package dev.chromatic.runtime.events;

import dev.chromatic.runtime.agent.SampleRing;

/** One loop event in a {@link SampleRing} slot: what, why, when and a number. */
public final class LoopEvent extends SampleRing.Slot<LoopEvent> {

    public int kind;
    public int reason;
    public long timeNs;
    public long cycle;
    public long value;

    @Override
    public void copyTo(LoopEvent out) {
        out.kind = kind;
        out.reason = reason;
        out.timeNs = timeNs;
        out.cycle = cycle;
        out.value = value;
    }
}
