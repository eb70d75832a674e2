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
 * <p>Thread-safe (methods synchronise); does blocking disk I/O, so never call it from the control
 * loop.
 */
public final class PolicyStore {

    static final String RECORD_FILE = "store.state";
    static final String SLOT_A = "a";
    static final String SLOT_B = "b";

    private final Path dir;
    private final PolicyFileVerifier verifier;
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

    private PolicyStore(Path dir, PolicyFileVerifier verifier) {
        this.dir = dir;
        this.verifier = verifier;
    }

    /**
     * Opens (creating if needed) the store in {@code dir}: deletes temporaries left by a crash,
     * re-verifies both slots against the record and falls back to the previous slot when the active
     * one no longer verifies. What it found is in {@link #recoveryNotes()}.
     *
     * @throws IOException when the directory cannot be used or the record is damaged
     */
    public static PolicyStore open(Path dir, PolicyFileVerifier verifier) throws IOException {
        Files.createDirectories(dir);
        PolicyStore store = new PolicyStore(dir, verifier);
        store.recover();
        return store;
    }

    private void recover() throws IOException {
        int temps = AtomicFiles.deleteTemporaries(dir);
        if (temps > 0) {
            recoveryNotes.add("deleted " + temps + " temporary file(s) of an interrupted write");
        }
        StoreRecord r;
        try {
            r = StoreRecord.decode(Files.readAllBytes(dir.resolve(RECORD_FILE)));
        } catch (NoSuchFileException e) {
            r = StoreRecord.EMPTY;
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
        if (fixed != r) {
            AtomicFiles.write(dir.resolve(RECORD_FILE), fixed.encode());
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

    /** What {@link #open} repaired or dropped; empty after a clean shutdown. */
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
     * and writes it atomically into the inactive slot (the previous policy is dropped first). The
     * active policy is unchanged until {@link #commit}.
     */
    public synchronized Staged stage(byte[] file) throws PolicyFormatException, IOException {
        long version = verifier.verifiedVersion(file);
        requireNewer(version);
        String target = record.active() != null && SLOT_A.equals(record.active().name()) ? SLOT_B : SLOT_A;
        if (record.previous() != null) {
            StoreRecord without = record.withoutPrevious();
            AtomicFiles.write(dir.resolve(RECORD_FILE), without.encode());
            record = without;
        }
        AtomicFiles.write(slotPath(target), file);
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
        AtomicFiles.write(dir.resolve(RECORD_FILE), next.encode());
        record = next;
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
        AtomicFiles.write(dir.resolve(RECORD_FILE), next.encode());
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
