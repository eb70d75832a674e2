package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.PolicyFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /**
     * A file writer that fails once, at its {@code failAt}-th write: before touching the disk (a full
     * disk: the atomic write never renamed), or after the file landed (the error came from the final
     * directory sync).
     */
    private static final class FullDisk implements PolicyStore.FileWriter {
        final int failAt;
        final boolean afterWriting;
        int writes;
        boolean failed;

        FullDisk(int failAt, boolean afterWriting) {
            this.failAt = failAt;
            this.afterWriting = afterWriting;
        }

        @Override
        public void write(Path target, byte[] data) throws IOException {
            writes++;
            if (writes == failAt) {
                failed = true;
                if (afterWriting) {
                    AtomicFiles.write(target, data);
                }
                throw new IOException("No space left on device (write " + writes + ": " + target.getFileName() + ")");
            }
            AtomicFiles.write(target, data);
        }
    }

    @Test
    void aFullDiskAtEveryWriteStepLeavesALoadableStoreWithThePreviousPolicy() throws Exception {
        byte[] one = FakePolicyFiles.file(1, 200);
        byte[] two = FakePolicyFiles.file(2, 200);
        byte[] three = FakePolicyFiles.file(3, 200);
        int steps = 0;
        for (boolean after : new boolean[] {false, true}) {
            for (int failAt = 1; ; failAt++) {
                Path d = Files.createDirectories(dir.resolve((after ? "after-" : "before-") + failAt));
                PolicyStore setup = PolicyStore.open(d, FakePolicyFiles.VERIFIER);
                setup.install(one);
                setup.install(two);

                FullDisk disk = new FullDisk(failAt, after);
                PolicyStore store = PolicyStore.open(d, FakePolicyFiles.VERIFIER, disk);
                try {
                    store.install(three);
                    if (disk.failed) {
                        assertEquals(4, failAt, "only the barrier copy may fail without failing the install");
                        assertTrue(store.recoveryNotes().stream().anyMatch(n -> n.contains("barrier copy not updated")),
                                store.recoveryNotes().toString());
                    }
                } catch (IOException e) {
                    assertTrue(disk.failed, e.getMessage());
                    assertTrue(failAt < 4, "write " + failAt + " failed the install: " + e.getMessage());
                }
                if (!disk.failed) {
                    assertEquals(5, failAt, "stage (slot, record) + commit (record, barrier) are four writes");
                    break;
                }
                steps++;
                String step = (after ? "after" : "before") + " write " + failAt;
                // the store in memory is still usable: it reads back what is active
                PolicySlot live = store.active().orElseThrow();
                assertEquals(live.version(), FakePolicyFiles.verify(store.read(live)), step);

                PolicyStore reopened = PolicyStore.open(d, FakePolicyFiles.VERIFIER);
                PolicySlot active = reopened.active().orElseThrow(() -> new AssertionError(step + ": nothing active"));
                if (!(after && failAt == 3)) {
                    assertEquals(live, active, step + ": a restart sees what the running store saw");
                } // else the commit's record reached the disk although its write reported an error: old or new

                byte[] bytes = reopened.read(active);
                assertEquals(active.version(), FakePolicyFiles.verify(bytes), step);
                if (active.version() == 2) {
                    assertArrayEquals(two, bytes, step);
                    if (failAt == 1 && !after) {
                        // the slot is written first: a disk too full for it changes nothing, and the
                        // active policy keeps its own rollback target
                        assertEquals(1, reopened.previous().orElseThrow().version(), step);
                        assertArrayEquals(one, reopened.read(reopened.previous().orElseThrow()), step);
                    }
                } else {
                    assertEquals(3, active.version(), step);
                    assertTrue(failAt > 3 || (failAt == 3 && after),
                            step + ": the new policy is active only when its record reached the disk");
                    assertEquals(2, reopened.previous().orElseThrow().version(), step + ": the rollback target is kept");
                    assertArrayEquals(two, reopened.read(reopened.previous().orElseThrow()), step);
                }
                assertTrue(reopened.installedVersion() >= active.version(), step);
                assertThrows(PolicyFormatException.class, () -> reopened.stage(FakePolicyFiles.file(2, 200)), step);
                // and the flash can be repeated or a newer one sent
                long next = reopened.installedVersion() + 1;
                assertEquals(next, reopened.install(FakePolicyFiles.file(next, 200)).version(), step);
                assertEquals(next, PolicyStore.open(d, FakePolicyFiles.VERIFIER).installedVersion(), step);
            }
        }
        assertEquals(8, steps);
    }

    @Test
    void aDeletedRecordKeepsTheVersionBarrierAndAnOlderSignedPolicyIsStillRefused() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        for (long v = 1; v <= 3; v++) {
            store.install(FakePolicyFiles.file(v, 100));
        }
        Files.delete(dir.resolve(PolicyStore.RECORD_FILE));

        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(3, reopened.installedVersion());
        assertTrue(reopened.active().isEmpty(), "without its record the store does not guess which slot was active");
        assertTrue(reopened.recoveryNotes().stream().anyMatch(n -> n.contains("record missing") && n.contains("barrier 3")),
                reopened.recoveryNotes().toString());
        for (long old = 1; old <= 3; old++) {
            long v = old;
            PolicyFormatException e = assertThrows(PolicyFormatException.class,
                    () -> reopened.stage(FakePolicyFiles.file(v, 100)));
            assertEquals("policy_version", e.field());
        }
        assertEquals(4, reopened.install(FakePolicyFiles.file(4, 100)).version());
        assertEquals(4, PolicyStore.open(dir, FakePolicyFiles.VERIFIER).active().orElseThrow().version());
    }

    @Test
    void withRecordAndBarrierCopyBothGoneTheSlotFilesStillHoldTheBarrier() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        for (long v = 1; v <= 3; v++) {
            store.install(FakePolicyFiles.file(v, 100));
        }
        store.rollback();
        Files.delete(dir.resolve(PolicyStore.RECORD_FILE));
        Files.delete(dir.resolve(PolicyStore.BARRIER_FILE));
        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(3, reopened.installedVersion(), "the rolled-back version 3 is still in its slot");
        assertThrows(PolicyFormatException.class, () -> reopened.stage(FakePolicyFiles.file(3, 100)));
        assertEquals(3, StoreRecord.decodeBarrier(Files.readAllBytes(dir.resolve(PolicyStore.BARRIER_FILE))),
                "the barrier copy is written again");
    }

    @Test
    void aDamagedBarrierCopyOrALowerOneNeverLowersTheBarrier() throws Exception {
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        store.install(FakePolicyFiles.file(5, 100));
        Path copy = dir.resolve(PolicyStore.BARRIER_FILE);
        Files.write(copy, "format=1\ninstalled_version=0\nchecksum=00\n".getBytes(StandardCharsets.UTF_8));
        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(5, reopened.installedVersion());
        assertTrue(reopened.recoveryNotes().stream().anyMatch(n -> n.contains("checksum")), reopened.recoveryNotes().toString());
        assertEquals(5, StoreRecord.decodeBarrier(Files.readAllBytes(copy)));

        // a record rewritten by hand to a lower barrier (valid checksum) loses to the copy
        Files.write(dir.resolve(PolicyStore.RECORD_FILE),
                new StoreRecord(reopened.active().orElseThrow(), null, false, 0).encode());
        PolicyStore again = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(5, again.installedVersion());
        assertEquals(5, again.active().orElseThrow().version());
        assertThrows(PolicyFormatException.class, () -> again.stage(FakePolicyFiles.file(4, 100)));
    }

    @Test
    void aDamagedRecordStopsTheStoreFromOpening() throws Exception {
        PolicyStore.open(dir, FakePolicyFiles.VERIFIER).install(FakePolicyFiles.file(1, 100));
        Path record = dir.resolve(PolicyStore.RECORD_FILE);
        String text = Files.readString(record).replace("installed_version=1", "installed_version=0");
        Files.writeString(record, text);
        IOException e = assertThrows(IOException.class, () -> PolicyStore.open(dir, FakePolicyFiles.VERIFIER));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(e.getMessage().contains(PolicyStore.BARRIER_FILE), e.getMessage());

        // the way out the message names: delete the record; the barrier is not reset by it
        Files.delete(record);
        PolicyStore reopened = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        assertEquals(1, reopened.installedVersion());
        assertThrows(PolicyFormatException.class, () -> reopened.stage(FakePolicyFiles.file(1, 100)));
    }
}
