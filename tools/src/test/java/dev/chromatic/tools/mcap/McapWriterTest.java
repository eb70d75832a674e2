package dev.chromatic.tools.mcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The MCAP writer against the spec's record layout, read back by a small reader written here from
 * the spec: magic, record framing, every CRC, and every offset the indexes hold.
 */
class McapWriterTest {

    /** One record: opcode, where it starts in its container, its content. */
    record Rec(int op, long offset, long length, ByteBuffer content) {
    }

    private static List<Rec> records(byte[] bytes, int from, int to) {
        List<Rec> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int p = from;
        while (p < to) {
            int op = bytes[p] & 0xFF;
            long len = b.getLong(p + 1);
            assertTrue(len >= 0 && p + 9 + len <= to, "record at " + p + " overruns its container");
            ByteBuffer content = ByteBuffer.wrap(bytes, p + 9, (int) len).slice().order(ByteOrder.LITTLE_ENDIAN);
            out.add(new Rec(op, p, 9 + len, content));
            p += 9 + (int) len;
        }
        assertEquals(to, p, "records end exactly at the container's end");
        return out;
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static long crc(byte[] b, int from, int to) {
        CRC32 c = new CRC32();
        c.update(b, from, to - from);
        return c.getValue();
    }

    private static byte[] write(Compression compression, int messages) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (McapWriter w = new McapWriter(bytes, "test-lib", compression, 1024)) {
            int s1 = w.addSchema("A", "jsonschema", "{\"type\":\"object\"}".getBytes(StandardCharsets.UTF_8));
            int c0 = w.addChannel("chromatic/r1/telemetry", s1, "json", Map.of("robot_id", "r1"));
            int c1 = w.addChannel("chromatic/r1/events", s1, "json", Map.of());
            for (int i = 0; i < messages; i++) {
                byte[] data = ("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 50) + "\"}").getBytes(StandardCharsets.UTF_8);
                // the events channel gets every fifth message, a little behind in time
                if (i % 5 == 4) {
                    w.addMessage(c1, i, 1_000_000_000L + i * 10_000_000L - 3_000_000L, 7, data);
                } else {
                    w.addMessage(c0, i, 1_000_000_000L + i * 10_000_000L, 1_000_000_000L + i * 10_000_000L, data);
                }
            }
            assertEquals(messages, w.messageCount());
        }
        return bytes.toByteArray();
    }

    @Test
    void fileHasMagicHeaderChunksIndexesSummaryAndFooterWithCorrectCrcsAndOffsets() throws Exception {
        checkFile(write(Compression.NONE, 200), Compression.NONE, 200);
    }

    @Test
    void zstdAndLz4ChunksDecompressToTheSameRecords() throws Exception {
        checkFile(write(Compression.ZSTD, 120), Compression.ZSTD, 120);
        checkFile(write(Compression.LZ4, 120), Compression.LZ4, 120);
    }

    @Test
    void anEmptyRecordingIsStillAValidFile() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new McapWriter(bytes, "x", Compression.NONE, 1024).close();
        byte[] f = bytes.toByteArray();
        List<Rec> all = records(f, 8, f.length - 8);
        assertEquals(McapWriter.OP_HEADER, all.get(0).op());
        assertEquals(McapWriter.OP_DATA_END, all.get(1).op());
        assertEquals(McapWriter.OP_FOOTER, all.get(all.size() - 1).op());
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        McapWriter w = new McapWriter(new ByteArrayOutputStream(), "x", Compression.NONE, 1024);
        int s = w.addSchema("A", "jsonschema", new byte[] {'{', '}'});
        int c = w.addChannel("t", s, "json", Map.of());
        assertThrows(IllegalArgumentException.class, () -> w.addMessage(c + 1, 0, 1, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.addMessage(c, 0, -1, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.addChannel("u", 9, "json", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new McapWriter(new ByteArrayOutputStream(), "x", Compression.NONE, 10));
        w.close();
        assertThrows(IllegalStateException.class, () -> w.addMessage(c, 0, 1, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Compression.of("gzip"));
        assertEquals(Compression.ZSTD, Compression.of("ZSTD"));
    }

    private static byte[] decompress(Compression c, byte[] data, long size) throws Exception {
        return switch (c) {
            case NONE -> data;
            case ZSTD -> com.github.luben.zstd.Zstd.decompress(data, (int) size);
            case LZ4 -> new net.jpountz.lz4.LZ4FrameInputStream(new ByteArrayInputStream(data)).readAllBytes();
        };
    }

    private static void checkFile(byte[] f, Compression compression, int messages) throws Exception {
        assertArrayEquals(McapWriter.MAGIC, java.util.Arrays.copyOfRange(f, 0, 8), "leading magic");
        assertArrayEquals(McapWriter.MAGIC, java.util.Arrays.copyOfRange(f, f.length - 8, f.length), "trailing magic");
        List<Rec> all = records(f, 8, f.length - 8);
        Rec header = all.get(0);
        assertEquals(McapWriter.OP_HEADER, header.op());
        assertEquals("", string(header.content()), "profile");
        assertEquals("test-lib", string(header.content()));

        // footer: fixed 20 bytes; the summary CRC covers the summary start .. the footer's summary_offset_start
        Rec footer = all.get(all.size() - 1);
        assertEquals(McapWriter.OP_FOOTER, footer.op());
        assertEquals(29, footer.length());
        long summaryStart = footer.content().getLong(0);
        long summaryOffsetStart = footer.content().getLong(8);
        long summaryCrc = footer.content().getInt(16) & 0xFFFF_FFFFL;
        assertEquals(crc(f, (int) summaryStart, (int) footer.offset() + 9 + 16), summaryCrc, "summary CRC");

        // data section: from the file's start up to the Data End record, whose CRC covers all of it
        int dataEndIndex = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).op() == McapWriter.OP_DATA_END) {
                dataEndIndex = i;
            }
        }
        Rec dataEnd = all.get(dataEndIndex);
        assertEquals(summaryStart, dataEnd.offset() + dataEnd.length(), "the summary starts right after Data End");
        assertEquals(crc(f, 0, (int) dataEnd.offset()), dataEnd.content().getInt(0) & 0xFFFF_FFFFL, "data section CRC");

        // chunks, each followed by its message indexes
        Map<Long, Rec> byOffset = new LinkedHashMap<>();
        for (Rec r : all) {
            byOffset.put(r.offset(), r);
        }
        int chunks = 0;
        int indexedMessages = 0;
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        Map<Integer, Long> perChannel = new LinkedHashMap<>();
        List<Rec> summary = all.subList(dataEndIndex + 1, all.size() - 1);
        List<Rec> chunkIndexes = summary.stream().filter(r -> r.op() == McapWriter.OP_CHUNK_INDEX).toList();
        for (Rec r : all.subList(1, dataEndIndex)) {
            if (r.op() != McapWriter.OP_CHUNK) {
                assertEquals(McapWriter.OP_MESSAGE_INDEX, r.op(), "only chunks and message indexes in the data section");
                continue;
            }
            ByteBuffer c = r.content();
            long start = c.getLong();
            long end = c.getLong();
            long uncompressedSize = c.getLong();
            long uncompressedCrc = c.getInt() & 0xFFFF_FFFFL;
            assertEquals(compression.wireName(), string(c));
            long recordsLength = c.getLong();
            assertEquals(c.remaining(), recordsLength);
            byte[] compressed = new byte[(int) recordsLength];
            c.get(compressed);
            byte[] records = decompress(compression, compressed, uncompressedSize);
            assertEquals(uncompressedSize, records.length);
            assertEquals(crc(records, 0, records.length), uncompressedCrc, "chunk CRC");
            List<Rec> inner = records(records, 0, records.length);
            long chunkMin = Long.MAX_VALUE;
            long chunkMax = Long.MIN_VALUE;
            Map<Long, Rec> messagesAt = new LinkedHashMap<>();
            for (Rec m : inner) {
                assertTrue(m.op() == McapWriter.OP_MESSAGE || m.op() == McapWriter.OP_SCHEMA || m.op() == McapWriter.OP_CHANNEL);
                if (m.op() == McapWriter.OP_MESSAGE) {
                    long t = m.content().getLong(6);
                    chunkMin = Math.min(chunkMin, t);
                    chunkMax = Math.max(chunkMax, t);
                    messagesAt.put(m.offset(), m);
                }
            }
            assertEquals(chunkMin, start, "chunk message_start_time");
            assertEquals(chunkMax, end, "chunk message_end_time");
            minTime = Math.min(minTime, start);
            maxTime = Math.max(maxTime, end);

            // its chunk index points at it, and at each message index after it
            Rec ci = chunkIndexes.get(chunks);
            ByteBuffer x = ci.content();
            assertEquals(start, x.getLong());
            assertEquals(end, x.getLong());
            assertEquals(r.offset(), x.getLong(), "chunk_start_offset");
            assertEquals(r.length(), x.getLong(), "chunk_length");
            int mapBytes = x.getInt();
            assertEquals(0, mapBytes % 10);
            long indexBytes = 0;
            int indexed = 0;
            for (int e = 0; e < mapBytes / 10; e++) {
                int channel = x.getShort() & 0xFFFF;
                long at = x.getLong();
                Rec mi = byOffset.get(at);
                assertEquals(McapWriter.OP_MESSAGE_INDEX, mi.op(), "message_index_offsets[" + channel + "]");
                indexBytes += mi.length();
                ByteBuffer m = mi.content();
                assertEquals(channel, m.getShort() & 0xFFFF);
                int entries = m.getInt();
                assertEquals(m.remaining(), entries);
                for (int k = 0; k < entries / 16; k++) {
                    long t = m.getLong();
                    long off = m.getLong();
                    Rec msg = messagesAt.get(off);
                    assertTrue(msg != null, "a message index entry points at a message record");
                    assertEquals(channel, msg.content().getShort(0) & 0xFFFF);
                    assertEquals(t, msg.content().getLong(6), "log_time in the index is the message's");
                    indexed++;
                }
                perChannel.merge(channel, (long) entries / 16, Long::sum);
            }
            assertEquals(messagesAt.size(), indexed, "every message of the chunk is indexed once");
            assertEquals(indexBytes, x.getLong(), "message_index_length");
            assertEquals(compression.wireName(), string(x));
            assertEquals(recordsLength, x.getLong(), "compressed_size");
            assertEquals(uncompressedSize, x.getLong(), "uncompressed_size");
            indexedMessages += indexed;
            chunks++;
        }
        assertEquals(messages, indexedMessages);
        assertEquals(chunkIndexes.size(), chunks);
        assertTrue(chunks > 3, "1 KiB chunks: several chunks, was " + chunks);

        // summary: grouped by opcode, Statistics right, and the summary offsets point at each group
        assertEquals(summaryStart, summary.get(0).offset());
        List<Integer> ops = summary.stream().map(Rec::op).toList();
        assertEquals(List.of(McapWriter.OP_SCHEMA, McapWriter.OP_CHANNEL, McapWriter.OP_CHANNEL),
                ops.subList(0, 3));
        Rec stats = summary.stream().filter(r -> r.op() == McapWriter.OP_STATISTICS).findFirst().orElseThrow();
        ByteBuffer s = stats.content();
        assertEquals(messages, s.getLong());
        assertEquals(1, s.getShort());
        assertEquals(2, s.getInt());
        assertEquals(0, s.getInt());
        assertEquals(0, s.getInt());
        assertEquals(chunks, s.getInt());
        assertEquals(minTime, s.getLong());
        assertEquals(maxTime, s.getLong());
        int mapBytes = s.getInt();
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (int e = 0; e < mapBytes / 10; e++) {
            counts.put(s.getShort() & 0xFFFF, s.getLong());
        }
        assertEquals(perChannel, counts, "channel_message_counts");
        assertEquals(messages / 5, counts.get(1));
        List<Rec> offsets = summary.stream().filter(r -> r.op() == McapWriter.OP_SUMMARY_OFFSET).toList();
        assertEquals(summaryOffsetStart, offsets.get(0).offset());
        for (Rec o : offsets) {
            ByteBuffer b = o.content();
            int op = b.get() & 0xFF;
            long start = b.getLong();
            long length = b.getLong();
            long covered = 0;
            for (Rec r : summary) {
                if (r.offset() >= start && r.offset() < start + length) {
                    assertEquals(op, r.op(), "summary offset group " + op + " holds only its opcode");
                    covered += r.length();
                }
            }
            assertEquals(length, covered);
            assertEquals(summary.stream().filter(r -> r.op() == op).mapToLong(Rec::length).sum(), length,
                    "group " + op + " covers every record of its opcode");
        }
        assertEquals(List.of(McapWriter.OP_SCHEMA, McapWriter.OP_CHANNEL, McapWriter.OP_CHUNK_INDEX,
                McapWriter.OP_STATISTICS), offsets.stream().map(o -> o.content().get(0) & 0xFF).toList());
    }
}
