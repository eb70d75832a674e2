// Reads an MCAP file with the independent TypeScript reader (@mcap/core) twice: through its index
// (footer, summary, chunk and message indexes: summary CRC checked) and front to back (every chunk's
// CRC checked), and prints what it found as one JSON object on stdout.
import { readFile } from "node:fs/promises";
import { McapIndexedReader, McapStreamReader } from "@mcap/core";
import { loadDecompressHandlers } from "@mcap/support";
import { crc32 } from "@foxglove/crc";

const file = process.argv[2];
const bytes = new Uint8Array(await readFile(file));
const decompressHandlers = await loadDecompressHandlers();
const started = process.hrtime.bigint();

const readable = {
  size: async () => BigInt(bytes.byteLength),
  read: async (offset, length) => bytes.subarray(Number(offset), Number(offset + length)),
};
const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers });
const channels = [...reader.channelsById.values()].map((c) => {
  const s = reader.schemasById.get(c.schemaId);
  return {
    id: c.id, topic: c.topic, message_encoding: c.messageEncoding, metadata: Object.fromEntries(c.metadata),
    schema_name: s?.name, schema_encoding: s?.encoding,
    schema_title: s ? JSON.parse(new TextDecoder().decode(s.data)).title : null,
  };
});
const perTopic = {};
let indexed = 0;
let lastLogTime = -1n;
let ordered = true;
for await (const m of reader.readMessages()) {
  const topic = reader.channelsById.get(m.channelId).topic;
  const t = (perTopic[topic] ??= { count: 0, log_times: [], first: null });
  const json = JSON.parse(new TextDecoder().decode(m.data));
  t.count++;
  t.log_times.push(m.logTime.toString());
  if (t.first === null) t.first = json;
  if (m.logTime < lastLogTime) ordered = false;
  lastLogTime = m.logTime;
  indexed++;
}
// seek: only the second half of the telemetry, by time, through the chunk indexes
const stats = reader.statistics;
const mid = stats.messageStartTime + (stats.messageEndTime - stats.messageStartTime) / 2n;
let seeked = 0;
for await (const m of reader.readMessages({ startTime: mid })) {
  if (m.logTime < mid) throw new Error("seek returned a message before its start time");
  seeked++;
}

const stream = new McapStreamReader({ validateCrcs: true, decompressHandlers });
stream.append(bytes);
let streamed = 0;
let dataEnd = null;
const kinds = {};
for (let r; (r = stream.nextRecord()); ) {
  kinds[r.type] = (kinds[r.type] ?? 0) + 1;
  if (r.type === "Message") streamed++;
  if (r.type === "DataEnd") dataEnd = r;
}
if (!stream.done()) throw new Error("the stream reader did not reach the end of the file");
// the data section CRC covers everything from the start of the file up to the Data End record
const dataCrc = crc32(bytes.subarray(0, Number(reader.dataEndOffset)));

console.log(JSON.stringify({
  message_count: stats.messageCount.toString(),
  channel_count: stats.channelCount,
  chunk_count: stats.chunkCount,
  chunk_indexes: reader.chunkIndexes.length,
  compressions: [...new Set(reader.chunkIndexes.map((c) => c.compression))],
  message_start_time: stats.messageStartTime.toString(),
  message_end_time: stats.messageEndTime.toString(),
  channel_message_counts: Object.fromEntries([...stats.channelMessageCounts].map(([k, v]) => [k, v.toString()])),
  channels,
  indexed_messages: indexed,
  indexed_in_time_order: ordered,
  messages_from_mid: seeked,
  streamed_messages: streamed,
  record_kinds: kinds,
  data_section_crc_ok: dataEnd !== null && dataEnd.dataSectionCrc !== 0 && dataEnd.dataSectionCrc === dataCrc,
  summary_offset_opcodes: [...reader.summaryOffsetsByOpcode.keys()].sort((a, b) => a - b),
  topics: perTopic,
  library: reader.header.library,
  read_ms: Number(process.hrtime.bigint() - started) / 1e6,
}));
