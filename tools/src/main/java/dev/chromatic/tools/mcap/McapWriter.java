package dev.chromatic.tools.mcap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Writes an MCAP file (format version 0, https://mcap.dev/spec): magic, Header, a data section of
 * Chunks (each followed by one Message Index per channel it holds messages of), Data End, a summary
 * section (Schemas, Channels, Chunk Indexes, Statistics) with Summary Offsets, Footer, magic. All
 * CRCs are written: each chunk's uncompressed records, the data section, the summary. Schemas and
 * Channels are written into the chunk that is open when they are added, so a reader going front to
 * back meets them before their messages; the summary repeats them for readers that seek.
 *
 * <p>Integers are little-endian; times are {@code uint64} nanoseconds on the caller's clock. Not
 * thread-safe. Memory: one chunk (about {@code chunkBytes}) plus the indexes (a few tens of bytes a
 * chunk and a channel count).
 */
public final class McapWriter implements AutoCloseable {

    /** The magic that starts and ends every MCAP file: 0x89 "MCAP" '0' "\r\n". */
    static final byte[] MAGIC = {(byte) 0x89, 'M', 'C', 'A', 'P', '0', '\r', '\n'};

    static final int OP_HEADER = 0x01;
    static final int OP_FOOTER = 0x02;
    static final int OP_SCHEMA = 0x03;
    static final int OP_CHANNEL = 0x04;
    static final int OP_MESSAGE = 0x05;
    static final int OP_CHUNK = 0x06;
    static final int OP_MESSAGE_INDEX = 0x07;
    static final int OP_CHUNK_INDEX = 0x08;
    static final int OP_STATISTICS = 0x0B;
    static final int OP_SUMMARY_OFFSET = 0x0E;
    static final int OP_DATA_END = 0x0F;

    /** Default uncompressed chunk size: a chunk closes once its records reach it. */
    public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
    /** Largest message accepted (an MQTT message the tools would ever receive is far smaller). */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private record Schema(int id, byte[] record) {
    }

    private record Channel(int id, byte[] record) {
    }

    private record ChunkIndex(long startTime, long endTime, long offset, long length,
                              Map<Integer, Long> messageIndexOffsets, long messageIndexLength,
                              String compression, long compressedSize, long uncompressedSize) {
    }

    private final OutputStream out;
    private final Compression compression;
    private final int chunkBytes;
    private final CRC32 dataCrc = new CRC32();
    private final CRC32 summaryCrc = new CRC32();
    private boolean inSummary;
    private long position;
    private final List<Schema> schemas = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final List<ChunkIndex> chunkIndexes = new ArrayList<>();
    private final Map<Integer, Long> channelMessageCounts = new TreeMap<>();
    private long messageCount;
    private long firstMessageTime = Long.MAX_VALUE;
    private long lastMessageTime = Long.MIN_VALUE;
    private boolean closed;

    // the open chunk
    private final Buf chunk = new Buf(1024);
    private final Map<Integer, Buf> chunkIndexEntries = new TreeMap<>();
    private long chunkStartTime = Long.MAX_VALUE;
    private long chunkEndTime = Long.MIN_VALUE;
    private int chunkMessages;

    /**
     * Starts the file: magic and Header.
     *
     * @param out where the file goes (buffer it; closed by {@link #close})
     * @param library written into the Header's {@code library} field
     * @param compression of the chunks
     * @param chunkBytes uncompressed size at which a chunk is closed (1 KiB .. 64 MiB)
     */
    public McapWriter(OutputStream out, String library, Compression compression, int chunkBytes) throws IOException {
        if (chunkBytes < 1024 || chunkBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("chunk size must be in 1 KiB..64 MiB, was " + chunkBytes);
        }
        this.out = out;
        this.compression = compression;
        this.chunkBytes = chunkBytes;
        write(MAGIC, 0, MAGIC.length);
        Buf header = new Buf(64);
        header.string("");
        header.string(library);
        writeRecord(OP_HEADER, header);
    }

    /**
     * Adds a schema; returns its id (1, 2, ...).
     *
     * @param encoding e.g. {@code jsonschema}
     */
    public int addSchema(String name, String encoding, byte[] data) throws IOException {
        checkOpen();
        int id = schemas.size() + 1;
        if (id > 0xFFFF) {
            throw new IllegalStateException("more than 65535 schemas");
        }
        Buf b = new Buf(32 + data.length);
        b.u16(id);
        b.string(name);
        b.string(encoding);
        b.u32(data.length);
        b.bytes(data, 0, data.length);
        byte[] record = b.record(OP_SCHEMA);
        schemas.add(new Schema(id, record));
        chunk.bytes(record, 0, record.length);
        return id;
    }

    /**
     * Adds a channel; returns its id (0, 1, ...).
     *
     * @param schemaId from {@link #addSchema}, or 0 for none
     * @param messageEncoding e.g. {@code json}
     */
    public int addChannel(String topic, int schemaId, String messageEncoding, Map<String, String> metadata)
            throws IOException {
        checkOpen();
        if (schemaId < 0 || schemaId > schemas.size()) {
            throw new IllegalArgumentException("unknown schema id " + schemaId);
        }
        int id = channels.size();
        if (id > 0xFFFF) {
            throw new IllegalStateException("more than 65536 channels");
        }
        Buf b = new Buf(64);
        b.u16(id);
        b.u16(schemaId);
        b.string(topic);
        b.string(messageEncoding);
        Buf map = new Buf(64);
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            map.string(e.getKey());
            map.string(e.getValue());
        }
        b.u32(map.size());
        b.bytes(map.array(), 0, map.size());
        byte[] record = b.record(OP_CHANNEL);
        channels.add(new Channel(id, record));
        channelMessageCounts.put(id, 0L);
        chunk.bytes(record, 0, record.length);
        return id;
    }

    /**
     * Adds one message to the open chunk (closing it first when it is full).
     *
     * @param logTimeNs when the message was recorded (uint64 ns; must not be negative)
     * @param publishTimeNs when it was published (the log time when unknown)
     */
    public void addMessage(int channelId, long sequence, long logTimeNs, long publishTimeNs, byte[] data)
            throws IOException {
        checkOpen();
        if (channelId < 0 || channelId >= channels.size()) {
            throw new IllegalArgumentException("unknown channel id " + channelId);
        }
        if (logTimeNs < 0 || publishTimeNs < 0) {
            throw new IllegalArgumentException("times must not be negative: log " + logTimeNs + ", publish " + publishTimeNs);
        }
        if (data.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message of " + data.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        if (chunkMessages > 0 && chunk.size() + 31 + data.length > chunkBytes) {
            flushChunk();
        }
        long offset = chunk.size();
        chunk.u8(OP_MESSAGE);
        chunk.u64(2 + 4 + 8 + 8 + data.length);
        chunk.u16(channelId);
        chunk.u32(sequence & 0xFFFF_FFFFL);
        chunk.u64(logTimeNs);
        chunk.u64(publishTimeNs);
        chunk.bytes(data, 0, data.length);
        Buf entries = chunkIndexEntries.computeIfAbsent(channelId, k -> new Buf(256));
        entries.u64(logTimeNs);
        entries.u64(offset);
        chunkMessages++;
        chunkStartTime = Math.min(chunkStartTime, logTimeNs);
        chunkEndTime = Math.max(chunkEndTime, logTimeNs);
        messageCount++;
        firstMessageTime = Math.min(firstMessageTime, logTimeNs);
        lastMessageTime = Math.max(lastMessageTime, logTimeNs);
        channelMessageCounts.merge(channelId, 1L, Long::sum);
    }

    public long messageCount() {
        return messageCount;
    }

    /** Bytes written to the output so far (the open chunk not included). */
    public long bytesWritten() {
        return position;
    }

    /** Writes the open chunk, the Data End, the summary and the Footer, and closes the output. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (chunk.size() > 0) {
                flushChunk();
            }
            Buf dataEnd = new Buf(4);
            dataEnd.u32(dataCrc.getValue());
            writeRecord(OP_DATA_END, dataEnd);

            inSummary = true;
            long summaryStart = position;
            Map<Integer, long[]> groups = new LinkedHashMap<>();
            long start = position;
            for (Schema s : schemas) {
                write(s.record(), 0, s.record().length);
            }
            group(groups, OP_SCHEMA, start);
            start = position;
            for (Channel c : channels) {
                write(c.record(), 0, c.record().length);
            }
            group(groups, OP_CHANNEL, start);
            start = position;
            for (ChunkIndex ci : chunkIndexes) {
                writeRecord(OP_CHUNK_INDEX, chunkIndex(ci));
            }
            group(groups, OP_CHUNK_INDEX, start);
            start = position;
            writeRecord(OP_STATISTICS, statistics());
            group(groups, OP_STATISTICS, start);

            long summaryOffsetStart = position;
            for (Map.Entry<Integer, long[]> g : groups.entrySet()) {
                Buf so = new Buf(17);
                so.u8(g.getKey());
                so.u64(g.getValue()[0]);
                so.u64(g.getValue()[1]);
                writeRecord(OP_SUMMARY_OFFSET, so);
            }
            // the summary CRC covers the summary, the summary offsets and the footer up to its own field
            Buf footerHead = new Buf(25);
            footerHead.u8(OP_FOOTER);
            footerHead.u64(8 + 8 + 4);
            footerHead.u64(summaryStart);
            footerHead.u64(summaryOffsetStart);
            write(footerHead.array(), 0, footerHead.size());
            Buf crc = new Buf(4);
            crc.u32(summaryCrc.getValue());
            write(crc.array(), 0, crc.size());
            write(MAGIC, 0, MAGIC.length);
        } finally {
            out.close();
        }
    }

    private void group(Map<Integer, long[]> groups, int opcode, long start) {
        if (position > start) {
            groups.put(opcode, new long[] {start, position - start});
        }
    }

    private Buf chunkIndex(ChunkIndex ci) {
        Buf b = new Buf(128);
        b.u64(ci.startTime());
        b.u64(ci.endTime());
        b.u64(ci.offset());
        b.u64(ci.length());
        b.u32(ci.messageIndexOffsets().size() * 10L);
        for (Map.Entry<Integer, Long> e : ci.messageIndexOffsets().entrySet()) {
            b.u16(e.getKey());
            b.u64(e.getValue());
        }
        b.u64(ci.messageIndexLength());
        b.string(ci.compression());
        b.u64(ci.compressedSize());
        b.u64(ci.uncompressedSize());
        return b;
    }

    private Buf statistics() {
        Buf b = new Buf(64 + 10 * channelMessageCounts.size());
        b.u64(messageCount);
        b.u16(schemas.size());
        b.u32(channels.size());
        b.u32(0);
        b.u32(0);
        b.u32(chunkIndexes.size());
        b.u64(messageCount == 0 ? 0 : firstMessageTime);
        b.u64(messageCount == 0 ? 0 : lastMessageTime);
        b.u32(channelMessageCounts.size() * 10L);
        for (Map.Entry<Integer, Long> e : channelMessageCounts.entrySet()) {
            b.u16(e.getKey());
            b.u64(e.getValue());
        }
        return b;
    }

    private void flushChunk() throws IOException {
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 0, chunk.size());
        byte[] records = compression.compress(chunk.array(), chunk.size());
        long startTime = chunkMessages == 0 ? 0 : chunkStartTime;
        long endTime = chunkMessages == 0 ? 0 : chunkEndTime;
        Buf head = new Buf(64);
        head.u64(startTime);
        head.u64(endTime);
        head.u64(chunk.size());
        head.u32(crc.getValue());
        head.string(compression.wireName());
        head.u64(records.length);
        long chunkOffset = position;
        Buf prefix = new Buf(9);
        prefix.u8(OP_CHUNK);
        prefix.u64(head.size() + (long) records.length);
        write(prefix.array(), 0, prefix.size());
        write(head.array(), 0, head.size());
        write(records, 0, records.length);
        long chunkLength = position - chunkOffset;
        Map<Integer, Long> indexOffsets = new TreeMap<>();
        long indexStart = position;
        for (Map.Entry<Integer, Buf> e : chunkIndexEntries.entrySet()) {
            indexOffsets.put(e.getKey(), position);
            Buf mi = new Buf(8 + e.getValue().size());
            mi.u16(e.getKey());
            mi.u32(e.getValue().size());
            mi.bytes(e.getValue().array(), 0, e.getValue().size());
            writeRecord(OP_MESSAGE_INDEX, mi);
        }
        chunkIndexes.add(new ChunkIndex(startTime, endTime, chunkOffset, chunkLength, indexOffsets,
                position - indexStart, compression.wireName(), records.length, chunk.size()));
        chunk.reset();
        chunkIndexEntries.clear();
        chunkStartTime = Long.MAX_VALUE;
        chunkEndTime = Long.MIN_VALUE;
        chunkMessages = 0;
    }

    private void writeRecord(int opcode, Buf content) throws IOException {
        Buf prefix = new Buf(9);
        prefix.u8(opcode);
        prefix.u64(content.size());
        write(prefix.array(), 0, prefix.size());
        write(content.array(), 0, content.size());
    }

    private void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (inSummary) {
            summaryCrc.update(b, off, len);
        } else {
            dataCrc.update(b, off, len);
        }
        position += len;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the MCAP writer is closed");
        }
    }

    /** A growable little-endian byte buffer. */
    static final class Buf {
        private byte[] a;
        private int n;

        Buf(int capacity) {
            a = new byte[Math.max(16, capacity)];
        }

        private void room(int more) {
            if (n + more > a.length) {
                long want = Math.max((long) a.length * 2, (long) n + more);
                if (want > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("record larger than 2 GiB");
                }
                a = java.util.Arrays.copyOf(a, (int) want);
            }
        }

        void u8(int v) {
            room(1);
            a[n++] = (byte) v;
        }

        void u16(int v) {
            room(2);
            a[n++] = (byte) v;
            a[n++] = (byte) (v >>> 8);
        }

        void u32(long v) {
            room(4);
            for (int i = 0; i < 4; i++) {
                a[n++] = (byte) (v >>> (8 * i));
            }
        }

        void u64(long v) {
            room(8);
            for (int i = 0; i < 8; i++) {
                a[n++] = (byte) (v >>> (8 * i));
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            bytes(b, 0, b.length);
        }

        void bytes(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, a, n, len);
            n += len;
        }

        int size() {
            return n;
        }

        byte[] array() {
            return a;
        }

        void reset() {
            n = 0;
        }

        /** This buffer as the content of a record: opcode, length, content. */
        byte[] record(int opcode) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(n + 9);
            Buf prefix = new Buf(9);
            prefix.u8(opcode);
            prefix.u64(n);
            o.write(prefix.a, 0, prefix.n);
            o.write(a, 0, n);
            return o.toByteArray();
        }
    }
}
