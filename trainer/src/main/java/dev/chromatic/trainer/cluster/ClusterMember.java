package dev.chromatic.trainer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;

/**
 * One embedded Hazelcast member with its rollout workers: a worker machine ({@code chromatic
 * worker}) or the trainer itself. Closing leaves the cluster gracefully.
 */
public final class ClusterMember implements AutoCloseable {

    private final HazelcastInstance hz;
    private final MemberRollouts rollouts;

    private ClusterMember(HazelcastInstance hz, MemberRollouts rollouts) {
        this.hz = hz;
        this.rollouts = rollouts;
    }

    /**
     * Starts a member and joins the cluster of {@code settings.join}.
     *
     * @throws IllegalArgumentException for a bad setting (message names the key)
     */
    public static ClusterMember start(ClusterSettings settings) {
        settings.validate();
        MemberRollouts rollouts = new MemberRollouts(settings.threads);
        com.hazelcast.config.Config config = settings.toConfig();
        config.getUserContext().put(MemberRollouts.USER_CONTEXT_KEY, rollouts);
        try {
            return new ClusterMember(Hazelcast.newHazelcastInstance(config), rollouts);
        } catch (RuntimeException e) {
            rollouts.close();
            throw e;
        }
    }

    public HazelcastInstance hazelcast() {
        return hz;
    }

    public UUID uuid() {
        return hz.getCluster().getLocalMember().getUuid();
    }

    /** HOST:PORT other members reach this one at. */
    public String address() {
        Member m = hz.getCluster().getLocalMember();
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    public int threads() {
        return rollouts.threads();
    }

    public boolean isRunning() {
        return hz.getLifecycleService().isRunning();
    }

    /** Stops at once without migrating data, as a crash would (tests of the coordinator). */
    public void terminate() {
        hz.getLifecycleService().terminate();
        rollouts.close();
    }

    @Override
    public void close() {
        hz.shutdown();
        rollouts.close();
    }
}
