package dev.chromatic.hal.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A register file behind an I2C address, as chips have them: a write transaction sets the
 * register pointer then stores bytes, a read sets the pointer then returns bytes; the pointer
 * moves on after each byte when {@link #autoIncrement()} says so. Every transaction and pause is
 * logged as text ("W 00 31", "R 3b x14", "P 500000") so tests can assert the exact bytes.
 */
abstract class FakeRegisterChip implements I2cDevice {

    final int[] registers = new int[256];
    final List<String> log;
    private final int address;
    int failNextReads;
    int failNextWrites;
    boolean closed;

    FakeRegisterChip(int address, List<String> log) {
        this.address = address;
        this.log = log;
    }

    FakeRegisterChip(int address) {
        this(address, new ArrayList<>());
    }

    /** A pause that lands in the same log. */
    Pause pause() {
        return ns -> {
            log.add("P " + ns);
            paused(ns);
        };
    }

    void paused(long ns) {
    }

    abstract boolean autoIncrement();

    abstract int next(int register);

    abstract void store(int register, int value);

    abstract int load(int register);

    @Override
    public int address() {
        return address;
    }

    @Override
    public int write(int register, byte[] data, int offset, int length) {
        if (failNextWrites > 0) {
            failNextWrites--;
            log.add("W! " + hex(register));
            return -1;
        }
        StringBuilder sb = new StringBuilder("W ").append(hex(register));
        for (int i = 0; i < length; i++) {
            sb.append(' ').append(hex(data[offset + i] & 0xFF));
        }
        log.add(sb.toString());
        int r = register;
        for (int i = 0; i < length; i++) {
            store(r, data[offset + i] & 0xFF);
            if (autoIncrement()) {
                r = next(r);
            }
        }
        return length;
    }

    @Override
    public int read(int register, byte[] data, int offset, int length) {
        if (failNextReads > 0) {
            failNextReads--;
            log.add("R! " + hex(register));
            return -1;
        }
        log.add("R " + hex(register) + " x" + length);
        int r = register;
        for (int i = 0; i < length; i++) {
            data[offset + i] = (byte) load(r);
            if (autoIncrement()) {
                r = next(r);
            }
        }
        return length;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Only the write transactions of the log. */
    List<String> writes() {
        List<String> w = new ArrayList<>();
        for (String s : log) {
            if (s.startsWith("W") || s.startsWith("P")) {
                w.add(s);
            }
        }
        return w;
    }

    static String hex(int v) {
        return String.format("%02x", v);
    }
}
