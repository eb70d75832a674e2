package dev.chromatic.trainer.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Members on 127.0.0.1 with their own cluster name and free ports, so tests never meet. */
final class LoopbackCluster {

    final String name = "test-" + UUID.randomUUID();
    final List<Integer> ports = new ArrayList<>();

    LoopbackCluster(int members) throws IOException {
        for (int i = 0; i < members; i++) {
            ports.add(freePort());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every member joins member 0, which is started first: an address not yet up slows a join by seconds. */
    String joinList() {
        return "127.0.0.1:" + ports.get(0);
    }

    ClusterSettings settings(int member, int threads) {
        return settings(name, ports.get(member), threads, joinList());
    }

    static ClusterSettings settings(String name, int port, int threads, String joinList) {
        ClusterSettings s = new ClusterSettings();
        s.clusterName = name;
        s.port = port;
        s.portAutoIncrement = false;
        s.threads = threads;
        s.networkInterface = "127.0.0.1";
        s.join = ClusterSettings.parseMembers("join", joinList);
        s.maxNoHeartbeatSeconds = 20;
        return s;
    }

    ClusterMember start(int member, int threads) {
        return ClusterMember.start(settings(member, threads));
    }
}
