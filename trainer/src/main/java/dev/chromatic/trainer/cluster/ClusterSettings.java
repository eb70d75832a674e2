package dev.chromatic.trainer.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a member joins the rollout cluster: the TCP/IP join list (no multicast, no auto-detection),
 * its own port, the rollout threads it offers and the cluster name. Validated once by
 * {@link #validate()}; turned into a Hazelcast {@link Config} by {@link #toConfig()}.
 */
public final class ClusterSettings {

    /** The Hazelcast default member port. */
    public static final int DEFAULT_PORT = 5701;
    static final String EXECUTOR = "chromatic.rollouts";
    static final String THREADS_ATTRIBUTE = "chromatic.threads";

    /** JUL keeps loggers weakly; this holds the quietened one. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    public String clusterName = "chromatic";
    /** HOST:PORT (or HOST) of members to join; may include this member's own address. */
    public List<String> join = new ArrayList<>();
    public int port = DEFAULT_PORT;
    /** Try port+1, port+2, ... when the port is taken (only when no port was asked for). */
    public boolean portAutoIncrement = true;
    /** Rollout threads this member offers; 0 = a coordinator that only dispatches. */
    public int threads = Runtime.getRuntime().availableProcessors();
    /** Network interface to bind, e.g. {@code 10.0.0.*}; null lets Hazelcast pick. */
    public String networkInterface;
    /** Seconds without a heartbeat before a silent member is dropped. */
    public int maxNoHeartbeatSeconds = 10;

    /**
     * Parses a join list {@code HOST:PORT[,HOST:PORT...]} (port optional).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<String> parseMembers(String key, String list) {
        List<String> out = new ArrayList<>();
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(key + ": must list at least one HOST:PORT");
        }
        for (String raw : list.split(",")) {
            String m = raw.trim();
            int colon = m.lastIndexOf(':');
            String host = colon < 0 ? m : m.substring(0, colon);
            if (host.isEmpty() || host.contains(" ")) {
                throw new IllegalArgumentException(key + ": '" + m + "' is not HOST:PORT");
            }
            if (colon >= 0) {
                int p;
                try {
                    p = Integer.parseInt(m.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + m + "' has no numeric port");
                }
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException(key + ": port of '" + m + "' must be in 1..65535");
                }
            }
            out.add(m);
        }
        return out;
    }

    /** Throws {@link IllegalArgumentException} naming the first bad key. */
    public ClusterSettings validate() {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("cluster-name: must be set");
        }
        if (join == null || join.isEmpty()) {
            throw new IllegalArgumentException("join: must list at least one HOST:PORT");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: must be in 1..65535, was " + port);
        }
        if (threads < 0 || threads > 256) {
            throw new IllegalArgumentException("threads: must be in 0..256, was " + threads);
        }
        if (maxNoHeartbeatSeconds < 2) {
            throw new IllegalArgumentException("max-no-heartbeat-seconds: must be >= 2, was " + maxNoHeartbeatSeconds);
        }
        return this;
    }

    /** The member configuration; also quietens Hazelcast's logging to warnings. */
    public Config toConfig() {
        validate();
        quietLogging();
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(maxNoHeartbeatSeconds));
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(portAutoIncrement);
        if (networkInterface != null) {
            net.getInterfaces().setEnabled(true).addInterface(networkInterface);
        }
        JoinConfig j = net.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(join)).setConnectionTimeoutSeconds(2);
        c.getMemberAttributeConfig().setAttribute(THREADS_ATTRIBUTE, Integer.toString(threads));
        c.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(Math.max(1, threads)).setStatisticsEnabled(false));
        return c;
    }

    /** Hazelcast logs through java.util.logging at WARNING and above. */
    static void quietLogging() {
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "jdk");
        }
        HAZELCAST_LOG.setLevel(Level.WARNING);
    }
}
