package dev.chromatic.tools.cluster;

import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.cluster.ClusterSettings;
import picocli.CommandLine.Option;

/** The network options every cluster member has: its port, interface and cluster name. */
public class MemberOptions {

    @Option(names = "--port", paramLabel = "P", description = "Member port; without it 5701, or the next free one up to 5801.")
    Integer port;

    @Option(names = "--interface", paramLabel = "IP", description = "Address to bind and announce, e.g. 10.0.0.5 or 10.0.0.* (default: Hazelcast picks).")
    String networkInterface;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "chromatic", description = "Members join only a cluster of the same name (default: ${DEFAULT-VALUE}).")
    String clusterName;

    /** Settings joining {@code joinList} and offering {@code threads}; bad values name the option. */
    ClusterSettings settings(String joinOption, String joinList, int threads) {
        ClusterSettings s = new ClusterSettings();
        try {
            s.join = ClusterSettings.parseMembers(joinOption, joinList);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (port != null) {
            s.port = port;
            s.portAutoIncrement = false;
        }
        s.networkInterface = networkInterface;
        s.clusterName = clusterName;
        s.threads = threads;
        try {
            return s.validate();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
    }
}
