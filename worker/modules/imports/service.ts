/**
 * @module imports/service: starting a CSV import (store the file in R2, record it, queue its chunks) and reading
 * progress and errors back for the supplier who uploaded it.
 */
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import { MAX_IMPORT_BYTES } from "../../middleware/json-body";
import type { OrgActor } from "../auth/identity";
import { assertApprovedSupplier } from "../catalog/service";
import type { ChunkMessage } from "./consumer";
import { csvLine } from "./csv";
import { planImport } from "./plan";
import {
  errorPage,
  failImport,
  failureReasons,
  findImport,
  type ImportRow,
  insertImport,
  listImports,
} from "./repository";
import type { ImportView } from "./schemas";

/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;
/** The downloadable report stops here; a file with more errors than this needs fixing at its source anyway. */
const REPORT_MAX_ERRORS = 100_000;
const REPORT_PAGE = 1_000;

export function fileKeyOf(supplierId: string, importId: string): string {
  return `imports/${supplierId}/${importId}.csv`;
}

function view(row: ImportRow, failureReason: string | null): ImportView {
  const percent = row.totalRows === 0 ? 100 : Math.floor((row.processedRows * 100) / row.totalRows);
  return {
    id: row.id,
    status: row.status,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    percent: Math.min(100, percent),
    createdCount: row.createdCount,
    updatedCount: row.updatedCount,
    errorCount: row.errorCount,
    failureReason,
    createdAtMs: row.createdAtMs,
    finishedAtMs: row.finishedAtMs,
  };
}

/**
 * Checks the file's shape, stores it and queues its chunks; rows are validated and applied by the consumer.
 * @example const started = await startImport(env, actor, await c.req.arrayBuffer())
 */
export async function startImport(env: Env, actor: OrgActor, body: ArrayBuffer): Promise<ImportView> {
  await assertApprovedSupplier(env.DB, actor.orgId);
  if (body.byteLength > MAX_IMPORT_BYTES) {
    throw new AppError("payload_too_large", `Import files are at most ${MAX_IMPORT_BYTES} bytes`);
  }
  const bytes = new Uint8Array(body);
  const planned = planImport(bytes);
  if (!planned.ok)
    throw new AppError("import_file_invalid", planned.message, { extensions: { issues: planned.issues } });
  const { plan } = planned;
  const nowMs = Date.now();
  const id = newId("imp", nowMs);
  const row: ImportRow = {
    id,
    supplierId: actor.orgId,
    fileKey: fileKeyOf(actor.orgId, id),
    status: "queued",
    totalRows: plan.totalRows,
    processedRows: 0,
    createdCount: 0,
    updatedCount: 0,
    errorCount: 0,
    createdBy: actor.actorId,
    createdAtMs: nowMs,
    finishedAtMs: null,
  };
  await env.MEDIA.put(row.fileKey, bytes, {
    httpMetadata: { contentType: "text/csv; charset=utf-8" },
    customMetadata: { supplierId: actor.orgId, importId: id },
  });
  await insertImport(env.DB, row);
  const messages = plan.chunks.map((chunk): { body: ChunkMessage; contentType: "json" } => ({
    body: { importId: id, headerEnd: plan.headerEnd, ...chunk },
    contentType: "json",
  }));
  try {
    for (let i = 0; i < messages.length; i += SEND_BATCH) {
      await env.IMPORT_QUEUE.sendBatch(messages.slice(i, i + SEND_BATCH));
    }
  } catch (error) {
    await failImport(env.DB, id, 1, "文件已收到，但排队处理失败；请重新上传 (enqueue_failed)", Date.now());
    throw error;
  }
  return view(row, null);
}

export async function listOwnImports(d1: D1Database, supplierId: string, limit: number): Promise<ImportView[]> {
  const rows = await listImports(d1, supplierId, limit);
  const reasons = await failureReasons(
    d1,
    rows.filter((r) => r.status === "failed").map((r) => r.id),
  );
  return rows.map((r) => view(r, reasons.get(r.id) ?? null));
}

/** Another supplier's import answers exactly like a missing one. */
async function ownImport(d1: D1Database, supplierId: string, importId: string): Promise<ImportRow> {
  const row = await findImport(d1, supplierId, importId);
  if (!row) throw new AppError("not_found", `No import ${importId}`);
  return row;
}

export async function importProgress(d1: D1Database, supplierId: string, importId: string): Promise<ImportView> {
  const row = await ownImport(d1, supplierId, importId);
  const reasons = row.status === "failed" ? await failureReasons(d1, [row.id]) : new Map<string, string>();
  return view(row, reasons.get(row.id) ?? null);
}

export async function importErrors(
  d1: D1Database,
  supplierId: string,
  importId: string,
  page: number,
  pageSize: number,
) {
  await ownImport(d1, supplierId, importId);
  const { rows, total } = await errorPage(d1, importId, (page - 1) * pageSize, pageSize);
  return {
    items: rows.map((r) => ({ row: r.rowNumber, column: r.column, message: r.message })),
    page,
    pageSize,
    total,
  };
}

/** The error report as CSV, with a BOM so Excel opens the Chinese messages as UTF-8. */
export async function errorReportCsv(d1: D1Database, supplierId: string, importId: string): Promise<string> {
  await ownImport(d1, supplierId, importId);
  const parts = ["\uFEFF", csvLine(["row", "column", "message"])];
  for (let offset = 0; offset < REPORT_MAX_ERRORS; offset += REPORT_PAGE) {
    const { rows } = await errorPage(d1, importId, offset, REPORT_PAGE);
    for (const r of rows) parts.push(csvLine([r.rowNumber, r.column, r.message]));
    if (rows.length < REPORT_PAGE) break;
  }
  return parts.join("");
}
