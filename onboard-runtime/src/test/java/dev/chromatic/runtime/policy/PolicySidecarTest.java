package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySidecarTest {

    @Test
    void keepsTheMetadataOfACompactFileAndKnowsWhichPolicyItDescribes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.cpol");
        Policy.Builder b = TestPolicies.smallFloat32().toBuilder();
        b.metadata.put("trainer", "line one\nline \"two\" \u00e9");
        Policy p = b.build();
        PolicyFiles.write(f, p, PolicyEncoding.COMPACT);
        Path sidecar = PolicySidecar.write(f, p);
        assertEquals(dir.resolve("p.cpol.json"), sidecar);
        PolicySidecar read = PolicySidecar.readNextTo(f);
        assertEquals(p.metadata(), read.metadata());
        assertTrue(read.describes(Files.readAllBytes(f)));
        // signing keeps the payload, so the sidecar still describes the signed file
        KeyPair keys = PolicyKeys.generate();
        assertTrue(read.describes(PolicyEnvelope.sign(Files.readAllBytes(f), keys.getPrivate(), PolicyKeys.keyId(keys.getPublic()), 3)));
        Policy.Builder other = p.toBuilder();
        other.task = "another";
        assertFalse(read.describes(PolicyFiles.encode(other.build(), PolicyEncoding.COMPACT)));
    }

    @Test
    void toolsLoadACompactFileWithItsSidecarsMetadata(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.cpol");
        Policy p = TestPolicies.smallFloat32();
        PolicyFiles.write(f, p, PolicyEncoding.COMPACT);
        assertTrue(PolicySidecar.loadWithMetadata(f).metadata().isEmpty());
        PolicySidecar.write(f, p);
        assertEquals(p.metadata(), PolicySidecar.loadWithMetadata(f).metadata());
        Path full = dir.resolve("full.cpol");
        PolicyFiles.write(full, p);
        Files.writeString(PolicySidecar.pathOf(full), "not even JSON");
        assertEquals(p.metadata(), PolicySidecar.loadWithMetadata(full).metadata(), "a full file's own metadata; no sidecar read");
    }

    @Test
    void rejectsAMalformedSidecarNamingIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.cpol");
        assertNull(PolicySidecar.readNextTo(f));
        for (String text : new String[] {"{\"payload_sha256\": 3}", "not json", "{\"payload_sha256\": \"" + "a".repeat(64) + "\"}",
                "{\"payload_sha256\": \"" + "a".repeat(64) + "\", \"metadata\": {\"k\": 1}}"}) {
            Files.writeString(PolicySidecar.pathOf(f), text);
            assertEquals("sidecar", assertThrows(PolicyFormatException.class, () -> PolicySidecar.readNextTo(f)).field(), text);
        }
    }
}
