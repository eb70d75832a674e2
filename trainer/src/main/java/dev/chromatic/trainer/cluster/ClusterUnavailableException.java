package dev.chromatic.trainer.cluster;

/** No member that runs rollouts is left in the cluster, so the evaluation cannot finish. */
public final class ClusterUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ClusterUnavailableException(String message) {
        super(message);
    }
}
