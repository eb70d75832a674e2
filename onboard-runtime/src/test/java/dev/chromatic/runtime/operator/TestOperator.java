package dev.chromatic.runtime.operator;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.policy.PolicyKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

/** An operator for tests: an Ed25519 key pair and a counter that signs each command with the next value. */
public final class TestOperator {

    public final KeyPair keys = PolicyKeys.generate();
    public final String keyId = PolicyKeys.keyId(keys.getPublic());
    private final String robotId;
    private long counter;

    public TestOperator(String robotId) {
        this.robotId = robotId;
    }

    /** The next command, signed, as JSON text. */
    public String sign(CommandKind kind) {
        return SignedCommand.sign(keys.getPrivate(), keyId, robotId, ++counter, kind, 0);
    }

    public String signRate(int hz) {
        return SignedCommand.sign(keys.getPrivate(), keyId, robotId, ++counter, CommandKind.SET_RATE, hz);
    }

    /** A command signed with an explicit counter (not advancing this operator's own). */
    public String signAt(long ctr, CommandKind kind) {
        return SignedCommand.sign(keys.getPrivate(), keyId, robotId, ctr, kind, 0);
    }

    public byte[] bytes(CommandKind kind) {
        return sign(kind).getBytes(StandardCharsets.UTF_8);
    }

    public long counter() {
        return counter;
    }

    public OperatorKeys trust() {
        return OperatorKeys.of(keys.getPublic());
    }
}
