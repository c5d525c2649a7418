/**
 * Import test helpers: category trees, CSV files built row by row, uploads through the API and waiting for the
 * real `catalog-imports` queue to finish an import.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { newId } from "../../worker/lib/crypto";
import { createCategory } from "../../worker/modules/categories/service";
import { COLUMNS, type Column } from "../../worker/modules/imports/columns";
import type { ChunkMessage } from "../../worker/modules/imports/consumer";
import { csvLine } from "../../worker/modules/imports/csv";
import { CHUNK_ROWS, planImport } from "../../worker/modules/imports/plan";
import { insertImport } from "../../worker/modules/imports/repository";
import type { ImportView } from "../../worker/modules/imports/schemas";
import { fileKeyOf } from "../../worker/modules/imports/service";
import { call, type Session, unique } from "../helpers";

/** A fresh level-1 → level-2 → level-3 chain; returns the three ids, leaf last. */
export async function categoryChain(): Promise<{ top: string; middle: string; leaf: string }> {
  const name = unique("类目");
  const top = await createCategory(env.DB, { parentId: null, nameZh: `${name}一级`, nameEn: "Top", sort: 0 });
  const middle = await createCategory(env.DB, { parentId: top.id, nameZh: `${name}二级`, nameEn: "Mid", sort: 0 });
  const leaf = await createCategory(env.DB, { parentId: middle.id, nameZh: `${name}三级`, nameEn: "Leaf", sort: 0 });
  return { top: top.id, middle: middle.id, leaf: leaf.id };
}

export type RowValues = Partial<Record<Column, string>>;

/** A CSV with the full header; rows name only the columns they fill. */
export function csvOf(rows: RowValues[], columns: readonly Column[] = COLUMNS): string {
  return [csvLine(columns), ...rows.map((row) => csvLine(columns.map((c) => row[c] ?? "")))].join("");
}

/**
 * The rows of one product whose colours × sizes form a full matrix; every SKU code starts with `code`.
 * @example productRows("TEE", leaf, ["红", "蓝"], ["M", "L"]) // 4 rows
 */
export function productRows(
  code: string,
  categoryId: string,
  colours: string[] = ["红", "蓝"],
  sizes: string[] = ["M", "L"],
  overrides: RowValues = {},
): RowValues[] {
  return colours.flatMap((colour, i) =>
    sizes.map((size, j) => ({
      product_code: code,
      category_id: categoryId,
      title_zh: `商品 ${code}`,
      title_en: `Product ${code}`,
      description_zh: `${code} 的描述`,
      attr1_name: "颜色",
      attr1_value: colour,
      attr2_name: "尺码",
      attr2_value: size,
      sku_code: `${code}-${i}-${j}`,
      supply_price: "10.50",
      suggested_retail_price: "29.90",
      map_price: "19.90",
      weight_g: "250",
      stock: "100",
      status: "draft",
      ...overrides,
    })),
  );
}

/** One product with a single SKU and no attributes. */
export function singleRow(code: string, categoryId: string, overrides: RowValues = {}): RowValues {
  return {
    product_code: code,
    category_id: categoryId,
    title_zh: `单品 ${code}`,
    description_zh: `${code} 描述`,
    sku_code: `${code}-1`,
    supply_price: "5",
    suggested_retail_price: "9.9",
    stock: "10",
    ...overrides,
  };
}

/** A console session (any tenant helper's result) or an integration's headers (`bearer(secret)`). */
export type Caller = Session | { headers: Record<string, string> };

function asOptions(caller: Caller): { session?: Session; headers: Record<string, string> } {
  return "cookie" in caller ? { session: caller, headers: {} } : { headers: caller.headers };
}

export function upload(caller: Caller, body: string, contentType = "text/csv"): Promise<Response> {
  const { session, headers } = asOptions(caller);
  return call("/api/supplier/imports", {
    method: "POST",
    session,
    headers: { "content-type": contentType, ...headers },
    body,
  });
}

/** Uploads raw bytes (a BOM, or non-UTF-8 text, must reach the Worker unchanged). */
export function uploadBytes(caller: Caller, bytes: Uint8Array): Promise<Response> {
  const { session, headers: extra } = asOptions(caller);
  const headers: Record<string, string> = { host: "localhost", "content-type": "text/csv", ...extra };
  if (session) {
    headers.cookie = session.cookie;
    headers["x-csrf-token"] = session.csrf;
  }
  return exports.default.fetch("http://localhost/api/supplier/imports", { method: "POST", headers, body: bytes });
}

export async function startImport(caller: Caller, body: string | Uint8Array): Promise<ImportView> {
  const res = typeof body === "string" ? await upload(caller, body) : await uploadBytes(caller, body);
  expect(res.status, await res.clone().text()).toBe(202);
  return res.json<ImportView>();
}

export async function progress(caller: Caller, id: string): Promise<ImportView> {
  const res = await call(`/api/supplier/imports/${id}`, asOptions(caller));
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<ImportView>();
}

/** Waits for the real queue to finish an import (done or failed) and returns its final state. */
export async function finished(caller: Caller, id: string, timeout = 30_000): Promise<ImportView> {
  await expect
    .poll(async () => (await progress(caller, id)).status, { timeout, interval: 200 })
    .toMatch(/^(done|failed)$/);
  return progress(caller, id);
}

/** `finished` for hooks, where expect.poll is not available: polls the same way and throws on timeout. */
export async function settled(caller: Caller, id: string, timeout = 30_000): Promise<ImportView> {
  const until = Date.now() + timeout;
  for (;;) {
    const view = await progress(caller, id);
    if (view.status === "done" || view.status === "failed") return view;
    if (Date.now() > until) throw new Error(`import ${id} still ${view.status} after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function importAndWait(caller: Caller, body: string | Uint8Array, timeout?: number): Promise<ImportView> {
  const started = await startImport(caller, body);
  return finished(caller, started.id, timeout);
}

export interface ErrorItem {
  row: number;
  column: string;
  message: string;
}

export async function errorsOf(caller: Caller, id: string, pageSize = 500): Promise<ErrorItem[]> {
  const res = await call(`/api/supplier/imports/${id}/errors?pageSize=${pageSize}`, asOptions(caller));
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ items: ErrorItem[] }>()).items;
}

export async function skuCount(supplierId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM skus WHERE supplier_id = ?")
    .bind(supplierId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function productCount(supplierId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM products WHERE supplier_id = ?")
    .bind(supplierId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export interface SkuFacts {
  code: string;
  supply_price_fen: number;
  suggested_retail_fen: number;
  map_fen: number | null;
  stock: number;
  product_id: string;
}

export async function skuByCode(supplierId: string, code: string): Promise<SkuFacts | null> {
  return env.DB.prepare(
    "SELECT code, supply_price_fen, suggested_retail_fen, map_fen, stock, product_id FROM skus WHERE supplier_id = ? AND code = ?",
  )
    .bind(supplierId, code)
    .first<SkuFacts>();
}

export interface StagedImport {
  id: string;
  messages: ChunkMessage[];
}

/**
 * An import recorded and stored exactly as the upload does, but with nothing sent to the queue, so a test can
 * deliver its chunks itself (twice, out of order, or to the dead-letter queue).
 */
export async function stageImport(supplierId: string, text: string, chunkRows = CHUNK_ROWS): Promise<StagedImport> {
  const bytes = new TextEncoder().encode(text);
  const planned = planImport(bytes, chunkRows);
  if (!planned.ok) throw new Error(planned.message);
  const id = newId("imp");
  const fileKey = fileKeyOf(supplierId, id);
  await env.MEDIA.put(fileKey, bytes);
  await insertImport(env.DB, {
    id,
    supplierId,
    fileKey,
    status: "queued",
    totalRows: planned.plan.totalRows,
    processedRows: 0,
    createdCount: 0,
    updatedCount: 0,
    errorCount: 0,
    createdBy: "usr_test",
    createdAtMs: Date.now(),
    finishedAtMs: null,
  });
  return {
    id,
    messages: planned.plan.chunks.map((chunk) => ({ importId: id, headerEnd: planned.plan.headerEnd, ...chunk })),
  };
}
