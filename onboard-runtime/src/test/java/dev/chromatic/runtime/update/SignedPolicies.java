package dev.chromatic.runtime.update;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyCodec;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.StructureKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;

/** Signed test policies for a small fake stack ("test-stack", 3 observations, 2 actions, 6 ms). */
final class SignedPolicies {

    static final String STACK = "test-stack";
    static final long PERIOD_NS = 6_000_000L;
    static final int OBS = 3;
    static final int ACT = 2;
    /** A weight value that is easy to find in an encoded payload. */
    static final double MARKER_WEIGHT = 1234.5678;

    private SignedPolicies() {
    }

    static Policy policy(int obs, int act, long seed) throws PolicyFormatException {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 5, new int[] {obs, 4, act}, Activation.TANH, seed)
                .toBuilder();
        b.robot = "minitaur";
        b.stack = STACK;
        b.task = "test";
        b.controlPeriodNs = PERIOD_NS;
        return b.build();
    }

    static Policy policy(long seed) throws PolicyFormatException {
        return policy(OBS, ACT, seed);
    }

    static byte[] sign(Policy p, KeyPair keys, long version) throws PolicyFormatException {
        return sign(PolicyCodec.encode(p), keys, version);
    }

    /** The compact file of {@code p} (its numbers rounded to float32), signed. */
    static byte[] signCompact(Policy p, KeyPair keys, long version) throws PolicyFormatException {
        byte[] unsigned = dev.chromatic.runtime.policy.PolicyFiles.encode(
                dev.chromatic.runtime.policy.CompactPolicyCodec.toFloat32(p), dev.chromatic.runtime.policy.PolicyEncoding.COMPACT);
        return PolicyEnvelope.sign(unsigned, keys.getPrivate(), PolicyKeys.keyId(keys.getPublic()), version);
    }

    static byte[] sign(byte[] payload, KeyPair keys, long version) throws PolicyFormatException {
        return PolicyEnvelope.sign(PolicyEnvelope.seal(payload, 0), keys.getPrivate(),
                PolicyKeys.keyId(keys.getPublic()), version);
    }

    /** A payload whose first shared weight is NaN: encoded with a marker, then the marker's bytes replaced. */
    static byte[] payloadWithNanWeight(long seed) throws PolicyFormatException {
        Policy.Builder b = policy(seed).toBuilder();
        b.sharedWeights[0] = MARKER_WEIGHT;
        byte[] payload = PolicyCodec.encode(b.build());
        byte[] marker = new byte[8];
        ByteBuffer.wrap(marker).order(ByteOrder.LITTLE_ENDIAN).putDouble(MARKER_WEIGHT);
        for (int i = 0; i + 8 <= payload.length; i++) {
            if (java.util.Arrays.equals(payload, i, i + 8, marker, 0, 8)) {
                ByteBuffer.wrap(payload, i, 8).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NaN);
                return payload;
            }
        }
        throw new IllegalStateException("marker weight not found in the encoded payload");
    }
}
