package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.PolicyFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {

    @TempDir
    Path dir;

    @Test
    void newPolicyGoesToTheInactiveSlotAndTheOldOneBecomesPrevious() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        PolicySlot first = store.install(FakePolicyFiles.file(1, 500));
        PolicySlot second = store.install(FakePolicyFiles.file(2, 500));
        assertEquals("a", first.name());
        assertEquals("b", second.name());
        assertEquals(second, store.active().orElseThrow());
        assertEquals(first, store.previous().orElseThrow());
        assertArrayEquals(FakePolicyFiles.file(2, 500), store.read(second));
        assertArrayEquals(FakePolicyFiles.file(1, 500), store.read(first));
        PolicySlot third = store.install(FakePolicyFiles.file(3, 500));
        assertEquals("a", third.name());
        assertEquals(second, store.previous().orElseThrow());
    }

    @Test
    void refusesAVersionNotNewerThanTheInstalledOneAlsoAfterARestart() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        store.install(FakePolicyFiles.file(5, 100));
        PolicyFormatException same = assertThrows(PolicyFormatException.class,
                () -> store.stage(FakePolicyFiles.file(5, 100)));
        assertEquals("policy_version", same.field());

        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(5, reopened.installedVersion());
        assertThrows(PolicyFormatException.class, () -> reopened.stage(FakePolicyFiles.file(4, 100)));
        assertEquals(5, reopened.active().orElseThrow().version());
        assertEquals(6, reopened.install(FakePolicyFiles.file(6, 100)).version());
    }

    @Test
    void refusesAFileTheVerifierRejectsAndLeavesTheStoreUnchanged() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        store.install(FakePolicyFiles.file(1, 100));
        byte[] bad = FakePolicyFiles.file(2, 100);
        bad[20] ^= 1;
        assertThrows(PolicyFormatException.class, () -> store.stage(bad));
        assertEquals(1, store.active().orElseThrow().version());
        assertFalse(Files.exists(dir.resolve("slot-b.cpol")));
    }

    @Test
    void rollbackReturnsToThePreviousPolicyButKeepsTheVersionBarrier() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        PolicySlot good = store.install(FakePolicyFiles.file(1, 100));
        store.install(FakePolicyFiles.file(2, 100));
        assertEquals(good, store.rollback());
        assertTrue(store.previousWasRolledBack());
        assertThrows(IllegalStateException.class, store::rollback);

        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(good, reopened.active().orElseThrow());
        assertEquals(2, reopened.installedVersion());
        assertThrows(PolicyFormatException.class, () -> reopened.stage(FakePolicyFiles.file(2, 100)));
    }

    @Test
    void anUncommittedStageLeavesTheOldPolicyActiveAfterARestart() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        PolicySlot one = store.install(FakePolicyFiles.file(1, 100));
        store.install(FakePolicyFiles.file(2, 100));
        store.stage(FakePolicyFiles.file(3, 100));

        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(2, reopened.active().orElseThrow().version());
        assertTrue(reopened.previous().isEmpty(), "the staged file replaced slot " + one.name());
        assertEquals(2, reopened.installedVersion());
    }

    @Test
    void fallsBackToThePreviousSlotWhenTheActiveFileIsDamagedOnDisk() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        PolicySlot one = store.install(FakePolicyFiles.file(1, 100));
        PolicySlot two = store.install(FakePolicyFiles.file(2, 100));
        Path activeFile = dir.resolve("slot-" + two.name() + ".cpol");
        byte[] bytes = Files.readAllBytes(activeFile);
        bytes[30] ^= 0x40;
        Files.write(activeFile, bytes);

        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(one, reopened.active().orElseThrow());
        assertTrue(reopened.recoveryNotes().stream().anyMatch(n -> n.contains("fell back")), reopened.recoveryNotes().toString());
        assertEquals(one, PolicyStore.open(dir, FakePolicyFiles.VERIFIER).active().orElseThrow());
    }

    @Test
    void deletesTemporaryFilesOfAnInterruptedWrite() throws Exception {
        PolicyStore.open(dir, FakePolicyFiles.VERIFIER).install(FakePolicyFiles.file(1, 100));
        Path leftover = dir.resolve(AtomicFiles.TEMP_PREFIX + "slot-b.cpol-123");
        Files.write(leftover, new byte[] {1, 2, 3});
        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertFalse(Files.exists(leftover));
        assertEquals(1, reopened.active().orElseThrow().version());
    }

    @Test
    void aDamagedRecordStopsTheStoreFromOpening() throws Exception {
        PolicyStore.open(dir, FakePolicyFiles.VERIFIER).install(FakePolicyFiles.file(1, 100));
        Path record = dir.resolve(PolicyStore.RECORD_FILE);
        String text = Files.readString(record).replace("installed_version=1", "installed_version=0");
        Files.writeString(record, text);
        IOException e = assertThrows(IOException.class, () -> PolicyStore.open(dir, FakePolicyFiles.VERIFIER));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }
}
