package dev.chromatic.runtime.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.KeyPair;

/**
 * Fuzz test of the policy loader. {@code mvn verify} replays the committed seed corpus
 * ({@code src/test/resources/.../PolicyLoaderFuzzTestInputs/loaderThrowsOnlyItsOwnException});
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=PolicyLoaderFuzzTest} fuzzes it. Each input is tried as a
 * whole file, as a raw full and a raw compact payload, and as a payload in a correctly hashed full
 * and compact envelope (so each parser is reached past the hash check). Any throwable other than
 * {@link PolicyFormatException} fails.
 */
class PolicyLoaderFuzzTest {

    private static final KeyPair KEYS = PolicyKeys.generate();
    private static final TrustedKeys TRUST = TrustedKeys.of(KEYS.getPublic());

    @FuzzTest(maxDuration = "30s")
    void loaderThrowsOnlyItsOwnException(byte[] data) {
        loadQuietly(data, false);
        loadQuietly(data, true);
        try {
            PolicyCodec.decode(data);
        } catch (PolicyFormatException expected) {
            // rejected with a named field: fine
        }
        try {
            CompactPolicyCodec.decode(data);
        } catch (PolicyFormatException expected) {
            // rejected with a named field: fine
        }
        if (data.length <= PolicyEnvelope.MAX_PAYLOAD_BYTES) {
            loadQuietly(PolicyEnvelope.seal(data, 0), false);
            loadQuietly(PolicyEnvelope.seal(data, 0, PolicyEncoding.COMPACT), false);
        }
    }

    private static void loadQuietly(byte[] file, boolean requireSignature) {
        try {
            PolicyFiles.load(file, TRUST, requireSignature);
        } catch (PolicyFormatException expected) {
            // rejected with a named field: fine
        }
    }
}
