/**
 * @module imports/consumer: the `catalog-imports` queue (one chunk of rows per message) and its dead-letter queue.
 * A chunk's counters, errors and processed marker commit in one D1 batch, so a chunk delivered twice or out of
 * order has its effect once; the import turns `done` in the batch that counts its last rows.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import { log } from "../../middleware/request-log";
import { applyChunk } from "./apply";
import { readHeader } from "./columns";
import { parseCsv } from "./csv";
import { chunkProcessed, commitChunk, failImport, findImportById, markProcessing } from "./repository";

const Row = z.number().int().min(1);
const Offset = z.number().int().min(0);

/** What the upload enqueues: rows [fromRow, toRow] of the file, which sit in bytes [byteStart, byteEnd). */
export const ChunkMessage = z.strictObject({
  importId: z.string().regex(/^imp_[0-9A-Za-z_]{1,60}$/),
  fromRow: Row,
  toRow: Row,
  byteStart: Offset,
  byteEnd: Offset,
  headerEnd: Offset,
});
export type ChunkMessage = z.infer<typeof ChunkMessage>;

export function chunkIdOf(chunk: Pick<ChunkMessage, "importId" | "fromRow">): string {
  return `${chunk.importId}:${chunk.fromRow}`;
}

async function readRange(env: Env, key: string, offset: number, length: number): Promise<string> {
  if (length === 0) return "";
  const object = await env.MEDIA.get(key, { range: { offset, length } });
  if (!object) throw new Error(`import file ${key} is missing`);
  // Ranges start and end on record boundaries, so they are whole UTF-8 sequences; a BOM at byte 0 is dropped.
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(await object.arrayBuffer());
}

export type ChunkResultKind = "applied" | "duplicate" | "skipped" | "stopped";

/** Processes one chunk exactly once in effect; tells what happened, for logs and tests. */
export async function processChunk(env: Env, chunk: ChunkMessage): Promise<ChunkResultKind> {
  const chunkId = chunkIdOf(chunk);
  if (await chunkProcessed(env.DB, chunkId)) return "duplicate";
  const job = await findImportById(env.DB, chunk.importId);
  if (!job || job.status === "done") return "skipped";
  await markProcessing(env.DB, job.id);
  const [headerText, bodyText] = await Promise.all([
    readRange(env, job.fileKey, 0, chunk.headerEnd),
    readRange(env, job.fileKey, chunk.byteStart, chunk.byteEnd - chunk.byteStart),
  ]);
  const header = readHeader(parseCsv(headerText)[0]?.fields ?? []);
  if (!header.ok) throw new Error(`import ${job.id}: stored header unreadable: ${header.message}`);

  let result: Awaited<ReturnType<typeof applyChunk>>;
  try {
    result = await applyChunk(env, job.supplierId, job.id, parseCsv(bodyText, chunk.fromRow), header.index);
  } catch (error) {
    if (error instanceof AppError && error.code === "supplier_not_approved") {
      const reason = `供应商当前不是「已通过」状态，第 ${chunk.fromRow}–${chunk.toRow} 行未导入 (supplier_not_approved)`;
      await failImport(env.DB, job.id, chunk.fromRow, reason, Date.now());
      return "stopped";
    }
    throw error;
  }
  const outcome = {
    importId: job.id,
    chunkId,
    processed: result.processed,
    created: result.created,
    updated: result.updated,
    failedRows: result.sheet.failedRows,
    errors: result.sheet.list(),
  };
  try {
    await commitChunk(env.DB, outcome, Date.now());
  } catch (error) {
    // A concurrent delivery of the same chunk committed first; its marker made this batch roll back whole.
    if (await chunkProcessed(env.DB, chunkId)) return "duplicate";
    throw error;
  }
  return "applied";
}

function backoffSeconds(attempts: number): number {
  return Math.min(300, 2 ** attempts + Math.floor(Math.random() * 3));
}

export async function consumeImportChunks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = ChunkMessage.safeParse(message.body);
    if (!parsed.success) {
      log("error", "unreadable import chunk dropped", { messageId: message.id, reason: parsed.error.message });
      message.ack();
      continue;
    }
    try {
      const kind = await processChunk(env, parsed.data);
      log("info", "import chunk", { chunkId: chunkIdOf(parsed.data), kind });
      message.ack();
    } catch (error) {
      log("warn", "import chunk failed; will retry", {
        chunkId: chunkIdOf(parsed.data),
        attempts: message.attempts,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

/** The dead-letter queue's consumer: a chunk that kept failing fails its import, naming the rows it held. */
export async function consumeFailedImportChunks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = ChunkMessage.safeParse(message.body);
    if (parsed.success && !(await chunkProcessed(env.DB, chunkIdOf(parsed.data)))) {
      const { importId, fromRow, toRow } = parsed.data;
      const reason = `第 ${fromRow}–${toRow} 行多次重试后仍处理失败，未导入；请稍后重新上传文件 (chunk_failed)`;
      await failImport(env.DB, importId, fromRow, reason, Date.now());
      log("error", "import chunk dead-lettered; import failed", { importId, fromRow, toRow });
    }
    message.ack();
  }
}
