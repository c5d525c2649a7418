/**
 * @module imports/repository: the `imports` rows, their per-row errors, and the one batch a processed chunk
 * commits. Every read names the supplier, so one supplier's import ids open nothing of another's.
 */
import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import { database } from "../../db/client";
import { importErrors, imports, processedEvents } from "../../db/schema";

export type ImportRow = typeof imports.$inferSelect;
export type ImportErrorRow = typeof importErrors.$inferSelect;

/** The consumer name under which processed chunks are recorded in processed_events. */
export const CHUNK_CONSUMER = "imports";
export const CHUNK_FAILED_COLUMN = "(chunk)";
/** Four bound parameters per error row; D1 allows 100 per statement. */
const ERRORS_PER_INSERT = 25;

export async function insertImport(d1: D1Database, row: ImportRow): Promise<void> {
  await database(d1).insert(imports).values(row);
}

export async function findImport(d1: D1Database, supplierId: string, importId: string) {
  const [row] = await database(d1)
    .select()
    .from(imports)
    .where(and(eq(imports.id, importId), eq(imports.supplierId, supplierId)))
    .limit(1);
  return row;
}

/** For the queue consumer, which knows only the import id from its message. */
export async function findImportById(d1: D1Database, importId: string) {
  const [row] = await database(d1).select().from(imports).where(eq(imports.id, importId)).limit(1);
  return row;
}

export async function listImports(d1: D1Database, supplierId: string, limit: number): Promise<ImportRow[]> {
  return database(d1)
    .select()
    .from(imports)
    .where(eq(imports.supplierId, supplierId))
    .orderBy(desc(imports.createdAtMs), desc(imports.id))
    .limit(limit);
}

/** Why each of these imports failed, when it did: the message of its first failed chunk. */
export async function failureReasons(d1: D1Database, importIds: string[]): Promise<Map<string, string>> {
  if (importIds.length === 0) return new Map();
  const rows = await database(d1)
    .select({ importId: importErrors.importId, message: importErrors.message })
    .from(importErrors)
    .where(and(inArray(importErrors.importId, importIds), eq(importErrors.column, CHUNK_FAILED_COLUMN)))
    .orderBy(desc(importErrors.rowNumber));
  // Descending, so the lowest row of each import is written last and wins.
  return new Map(rows.map((r) => [r.importId, r.message]));
}

export async function errorPage(d1: D1Database, importId: string, offset: number, limit: number) {
  const db = database(d1);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(importErrors)
      .where(eq(importErrors.importId, importId))
      .orderBy(asc(importErrors.rowNumber), asc(importErrors.column))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(importErrors).where(eq(importErrors.importId, importId)),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function markProcessing(d1: D1Database, importId: string): Promise<void> {
  await database(d1)
    .update(imports)
    .set({ status: "processing" })
    .where(and(eq(imports.id, importId), eq(imports.status, "queued")));
}

export async function chunkProcessed(d1: D1Database, chunkId: string): Promise<boolean> {
  const [row] = await database(d1)
    .select({ id: processedEvents.eventId })
    .from(processedEvents)
    .where(and(eq(processedEvents.consumer, CHUNK_CONSUMER), eq(processedEvents.eventId, chunkId)))
    .limit(1);
  return row !== undefined;
}

export interface ChunkOutcome {
  importId: string;
  chunkId: string;
  processed: number;
  created: number;
  updated: number;
  /** Rows with at least one error. */
  failedRows: number;
  errors: Omit<ImportErrorRow, "importId">[];
}

function errorInserts(d1: D1Database, importId: string, errors: ChunkOutcome["errors"]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < errors.length; i += ERRORS_PER_INSERT) {
    const part = errors.slice(i, i + ERRORS_PER_INSERT);
    out.push(
      d1
        .prepare(
          `INSERT OR IGNORE INTO import_errors (import_id, row_number, "column", message) VALUES ${part
            .map(() => "(?, ?, ?, ?)")
            .join(", ")}`,
        )
        .bind(...part.flatMap((e) => [importId, e.rowNumber, e.column, e.message])),
    );
  }
  return out;
}

/**
 * The chunk's marker, errors and counters in one transaction: a second delivery of the chunk fails on the marker's
 * primary key and changes nothing. The import turns `done` in the same transaction as its last rows are counted.
 */
export async function commitChunk(d1: D1Database, outcome: ChunkOutcome, nowMs: number): Promise<void> {
  await d1.batch([
    d1
      .prepare("INSERT INTO processed_events (consumer, event_id, processed_at_ms) VALUES (?, ?, ?)")
      .bind(CHUNK_CONSUMER, outcome.chunkId, nowMs),
    ...errorInserts(d1, outcome.importId, outcome.errors),
    d1
      .prepare(
        `UPDATE imports SET processed_rows = processed_rows + ?, created_count = created_count + ?,
           updated_count = updated_count + ?, error_count = error_count + ?,
           status = CASE WHEN status = 'queued' THEN 'processing' ELSE status END
         WHERE id = ?`,
      )
      .bind(outcome.processed, outcome.created, outcome.updated, outcome.failedRows, outcome.importId),
    d1
      .prepare(
        `UPDATE imports SET status = 'done', finished_at_ms = ?
          WHERE id = ? AND status IN ('queued', 'processing') AND processed_rows >= total_rows`,
      )
      .bind(nowMs, outcome.importId),
  ]);
}

/** A chunk that exhausted its retries: the import is failed, and the rows it covered are named in its errors. */
export async function failImport(
  d1: D1Database,
  importId: string,
  fromRow: number,
  message: string,
  nowMs: number,
): Promise<void> {
  await d1.batch([
    d1
      .prepare(`INSERT OR IGNORE INTO import_errors (import_id, row_number, "column", message) VALUES (?, ?, ?, ?)`)
      .bind(importId, fromRow, CHUNK_FAILED_COLUMN, message),
    d1
      .prepare(
        "UPDATE imports SET status = 'failed', finished_at_ms = ? WHERE id = ? AND status IN ('queued', 'processing')",
      )
      .bind(nowMs, importId),
  ]);
}
