package dev.chromatic.runtime.update;

import dev.chromatic.runtime.policy.PolicyFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two policy slots on disk ({@code slot-a.cpol}, {@code slot-b.cpol}) and a record naming the
 * active one, the previous one and the highest version ever installed. A new file goes into the
 * inactive slot; the record is switched only after that file is safely on disk, so a crash at any
 * point leaves exactly the old or the new policy active. Every file is verified before it is
 * stored and again when the store is opened. Versions not newer than the installed one are refused
 * (replay and downgrade protection that survives restarts).
 *
 * <p>Write order, each file replaced atomically and forced to disk ({@link AtomicFiles}): staging
 * writes the slot file first and then a record that no longer names that slot's old content;
 * committing writes the record naming the new slot, then the barrier copy. A write that fails
 * (a full disk) or a crash between any two writes leaves the store loadable with the active policy
 * it had before, or with the new one once the commit's record is on disk.
 *
 * <p>The installed version (the barrier) is kept twice: in the record and in {@code store.barrier}.
 * Opening takes the higher of the two; when the record is missing the barrier is also raised to
 * the highest version among the slot files that still verify (a slot only ever holds a version
 * that was newer than the barrier when it was written), so deleting the record neither resets the
 * barrier nor makes an older signed policy acceptable. A damaged record stops the store from
 * opening rather than being guessed at.
 *
 * <p>Thread-safe (methods synchronise); does blocking disk I/O, so never call it from the control
 * loop.
 */
public final class PolicyStore {

    static final String RECORD_FILE = "store.state";
    static final String BARRIER_FILE = "store.barrier";
    static final String SLOT_A = "a";
    static final String SLOT_B = "b";

    private final Path dir;
    private final PolicyFileVerifier verifier;
    private final FileWriter writer;
    private final List<String> recoveryNotes = new ArrayList<>();
    private StoreRecord record;
    private Staged staged;

    /** A file written into the inactive slot and not yet made active. */
    public static final class Staged {
        private final PolicySlot slot;

        private Staged(PolicySlot slot) {
            this.slot = slot;
        }

        public PolicySlot slot() {
            return slot;
        }
    }

    /** How the store replaces a file; {@link AtomicFiles#write} on the robot, a failing one in tests. */
    @FunctionalInterface
    interface FileWriter {
        void write(Path target, byte[] data) throws IOException;
    }

    private PolicyStore(Path dir, PolicyFileVerifier verifier, FileWriter writer) {
        this.dir = dir;
        this.verifier = verifier;
        this.writer = writer;
    }

    /**
     * Opens (creating if needed) the store in {@code dir}: deletes temporaries left by a crash,
     * re-verifies both slots against the record and falls back to the previous slot when the active
     * one no longer verifies. What it found is in {@link #recoveryNotes()}.
     *
     * @throws IOException when the directory cannot be used or the record is damaged
     */
    public static PolicyStore open(Path dir, PolicyFileVerifier verifier) throws IOException {
        return open(dir, verifier, AtomicFiles::write);
    }

    /** {@link #open(Path, PolicyFileVerifier)} writing through {@code writer} (tests inject faults). */
    static PolicyStore open(Path dir, PolicyFileVerifier verifier, FileWriter writer) throws IOException {
        Files.createDirectories(dir);
        PolicyStore store = new PolicyStore(dir, verifier, writer);
        store.recover();
        return store;
    }

    private void recover() throws IOException {
        int temps = AtomicFiles.deleteTemporaries(dir);
        if (temps > 0) {
            recoveryNotes.add("deleted " + temps + " temporary file(s) of an interrupted write");
        }
        long barrierCopy = readBarrierCopy();
        StoreRecord r;
        try {
            r = StoreRecord.decode(Files.readAllBytes(dir.resolve(RECORD_FILE)));
        } catch (NoSuchFileException e) {
            r = null;
        } catch (IOException e) {
            throw new IOException(dir.resolve(RECORD_FILE) + " is damaged (" + e.getMessage() + "); the version"
                    + " barrier is kept in " + BARRIER_FILE + " and the slot files, so deleting the record and"
                    + " flashing a newer policy recovers the robot", e);
        }
        boolean recordLost = r == null;
        if (recordLost) {
            long fromSlots = Math.max(slotVersion(SLOT_A), slotVersion(SLOT_B));
            long barrier = Math.max(barrierCopy, fromSlots);
            r = new StoreRecord(null, null, false, barrier);
            if (barrier > 0) {
                recoveryNotes.add("store record missing: no policy is active until a newer one is flashed; version"
                        + " barrier " + barrier + " kept (barrier copy " + barrierCopy + ", slot files " + fromSlots + ")");
            }
        } else if (barrierCopy > r.installedVersion()) {
            recoveryNotes.add("record's installed version " + r.installedVersion() + " is below the barrier copy's "
                    + barrierCopy + "; the higher one is kept");
            r = new StoreRecord(r.active(), r.previous(), r.previousRolledBack(), barrierCopy);
            recordLost = true;
        }
        StoreRecord fixed = r;
        String activeProblem = r.active() == null ? null : check(r.active());
        String previousProblem = r.previous() == null ? null : check(r.previous());
        if (previousProblem != null) {
            recoveryNotes.add("previous slot " + r.previous().name() + " dropped: " + previousProblem);
            fixed = fixed.withoutPrevious();
        }
        if (activeProblem != null) {
            if (fixed.previous() != null) {
                recoveryNotes.add("active slot " + r.active().name() + " failed (" + activeProblem
                        + "); fell back to slot " + fixed.previous().name());
                fixed = new StoreRecord(fixed.previous(), null, false, fixed.installedVersion());
            } else {
                recoveryNotes.add("active slot " + r.active().name() + " failed (" + activeProblem
                        + "); no policy is active");
                fixed = new StoreRecord(null, null, false, fixed.installedVersion());
            }
        }
        record = fixed;
        if (fixed != r || (recordLost && fixed.installedVersion() > 0)) {
            writer.write(dir.resolve(RECORD_FILE), fixed.encode());
        }
        if (barrierCopy < fixed.installedVersion()) {
            writer.write(dir.resolve(BARRIER_FILE), StoreRecord.encodeBarrier(fixed.installedVersion()));
        }
    }

    /** The barrier copy's version; 0 when it is missing, and 0 with a note when it is damaged. */
    private long readBarrierCopy() {
        Path file = dir.resolve(BARRIER_FILE);
        try {
            return StoreRecord.decodeBarrier(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            recoveryNotes.add(BARRIER_FILE + " unusable (" + e.getMessage() + "); it is rewritten from the record");
            return 0;
        }
    }

    /** The verified version of a slot file, 0 when it is missing or does not verify. */
    private long slotVersion(String name) {
        try {
            return verifier.verifiedVersion(Files.readAllBytes(slotPath(name)));
        } catch (IOException | PolicyFormatException e) {
            return 0;
        }
    }

    /** Returns null when the slot's file matches the record and verifies, else the problem. */
    private String check(PolicySlot slot) {
        byte[] file;
        try {
            file = Files.readAllBytes(slotPath(slot.name()));
        } catch (IOException e) {
            return "cannot read " + slotPath(slot.name()).getFileName() + ": " + e.getMessage();
        }
        if (!StoreRecord.sha256Hex(file).equals(slot.sha256Hex())) {
            return "sha256 of " + slotPath(slot.name()).getFileName() + " does not match the record";
        }
        try {
            long v = verifier.verifiedVersion(file);
            if (v != slot.version()) {
                return "version " + v + " differs from the recorded " + slot.version();
            }
        } catch (PolicyFormatException e) {
            return e.getMessage();
        }
        return null;
    }

    private Path slotPath(String name) {
        return dir.resolve("slot-" + name + ".cpol");
    }

    /**
     * What {@link #open} repaired or dropped (empty after a clean shutdown), followed by any later
     * failure to update the barrier copy.
     */
    public synchronized List<String> recoveryNotes() {
        return List.copyOf(recoveryNotes);
    }

    public synchronized Optional<PolicySlot> active() {
        return Optional.ofNullable(record.active());
    }

    public synchronized Optional<PolicySlot> previous() {
        return Optional.ofNullable(record.previous());
    }

    /** True when the previous slot holds a policy the store was rolled back from. */
    public synchronized boolean previousWasRolledBack() {
        return record.previousRolledBack();
    }

    /** The highest policy version ever installed here; only newer versions are accepted. */
    public synchronized long installedVersion() {
        return record.installedVersion();
    }

    /** Reads a slot's file and checks it still matches the record's SHA-256. */
    public synchronized byte[] read(PolicySlot slot) throws IOException {
        byte[] file = Files.readAllBytes(slotPath(slot.name()));
        if (!StoreRecord.sha256Hex(file).equals(slot.sha256Hex())) {
            throw new IOException("slot " + slot.name() + " changed on disk: sha256 does not match the record");
        }
        return file;
    }

    /**
     * Verifies {@code file}, refuses it unless its version is newer than {@link #installedVersion()},
     * and writes it atomically into the inactive slot, then a record without the previous policy
     * that slot held. The active policy is unchanged until {@link #commit}. When the slot write
     * fails nothing changed; once it succeeded the previous policy is gone whatever follows (a
     * record still naming it is corrected when the store is next opened: its checksum no longer
     * matches).
     */
    public synchronized Staged stage(byte[] file) throws PolicyFormatException, IOException {
        long version = verifier.verifiedVersion(file);
        requireNewer(version);
        String target = record.active() != null && SLOT_A.equals(record.active().name()) ? SLOT_B : SLOT_A;
        staged = null;
        writer.write(slotPath(target), file);
        if (record.previous() != null) {
            StoreRecord without = record.withoutPrevious();
            record = without;
            writer.write(dir.resolve(RECORD_FILE), without.encode());
        }
        staged = new Staged(new PolicySlot(target, StoreRecord.sha256Hex(file), version));
        return staged;
    }

    /** Makes a staged file the active policy; the formerly active one becomes the previous one. */
    public synchronized PolicySlot commit(Staged s) throws IOException {
        if (s == null || s != staged) {
            throw new IllegalStateException("commit of a file that is not the one staged last");
        }
        staged = null;
        StoreRecord next = new StoreRecord(s.slot(), record.active(), false,
                Math.max(record.installedVersion(), s.slot().version()));
        writer.write(dir.resolve(RECORD_FILE), next.encode());
        record = next;
        try {
            writer.write(dir.resolve(BARRIER_FILE), StoreRecord.encodeBarrier(next.installedVersion()));
        } catch (IOException e) {
            // the commit stands (the record holds the barrier too); opening rewrites a copy behind it
            recoveryNotes.add("barrier copy not updated to " + next.installedVersion() + ": " + e.getMessage());
        }
        return s.slot();
    }

    /** {@link #stage} then {@link #commit}. */
    public synchronized PolicySlot install(byte[] file) throws PolicyFormatException, IOException {
        return commit(stage(file));
    }

    /**
     * Makes the previous policy active again and remembers that the one rolled back from failed, so
     * it is never rolled back to. The installed version stays: the failed version cannot be
     * re-flashed, only a newer one.
     *
     * @throws IllegalStateException when there is no previous policy to return to
     */
    public synchronized PolicySlot rollback() throws IOException {
        if (record.previous() == null || record.previousRolledBack()) {
            throw new IllegalStateException("no previous policy to roll back to");
        }
        StoreRecord next = new StoreRecord(record.previous(), record.active(), true, record.installedVersion());
        writer.write(dir.resolve(RECORD_FILE), next.encode());
        record = next;
        return next.active();
    }

    private void requireNewer(long version) throws PolicyFormatException {
        if (version <= record.installedVersion()) {
            throw new PolicyFormatException("policy_version", version + " is not newer than the installed version "
                    + record.installedVersion() + " (replay or downgrade refused)");
        }
    }
}
