package dev.chromatic.trainer.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Where the chunks of one evaluation ran: members offered work, chunks each finished, chunks sent again. */
public final class EvaluationReport {

    /** Members that were given work at the start of the evaluation, with the chunks each finished. */
    public final Map<UUID, Integer> chunksByMember;
    public final int chunks;
    public final int rollouts;
    /** Chunks that were lost with a member and run again elsewhere. */
    public final int reassigned;
    public final long wallNs;

    EvaluationReport(Map<UUID, Integer> chunksByMember, int chunks, int rollouts, int reassigned, long wallNs) {
        this.chunksByMember = Collections.unmodifiableMap(new LinkedHashMap<>(chunksByMember));
        this.chunks = chunks;
        this.rollouts = rollouts;
        this.reassigned = reassigned;
        this.wallNs = wallNs;
    }
}
