/**
 * @module imports/apply: one chunk's rows through the catalog service — the same `createProduct` and
 * `applySkuChanges` the supplier API uses, so imported goods obey exactly the API's rules and history and events
 * are written the same way. A row whose SKU code exists updates that SKU; a product whose codes are all new is
 * created whole (its rows must cover the attribute matrix); anything else becomes an error on its row.
 */
import { AppError } from "../../errors";
import { type SkuPatch, UpdateSkuBody } from "../catalog/schemas";
import { type ChangeActor, createProduct } from "../catalog/service";
import { applySkuChanges } from "../catalog/sku-service";
import { findCategory, isLeaf } from "../categories/service";
import {
  blockGroup,
  buildProduct,
  consistencyErrors,
  ErrorSheet,
  type Group,
  groupRows,
  locateIssue,
  pathKeys,
} from "./assemble";
import { type Column, parseRow, type SkuLine } from "./columns";
import { type CsvRecord, isBlank } from "./csv";

export interface ChunkResult {
  processed: number;
  created: number;
  updated: number;
  sheet: ErrorSheet;
}

const CATALOG_MESSAGES: Partial<Record<string, string>> = {
  sku_code_taken: "SKU 编码已被本供应商的其他商品使用",
  unknown_category: "类目不存在",
  category_not_leaf: "商品只能放在三级类目下",
};

function isIssueList(value: unknown): value is { path: string; message: string; code: string }[] {
  return Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && "path" in v);
}

/** A refusal from createProduct, placed on the rows it concerns. */
function placeCatalogError(group: Group, error: AppError, sheet: ErrorSheet): void {
  const text = `${CATALOG_MESSAGES[error.code] ?? error.message} (${error.code})`;
  const codes = error.extensions.codes;
  if (error.code === "sku_code_taken" && Array.isArray(codes)) {
    const taken = group.rows.filter((row) => codes.includes(row.skuCode));
    for (const row of taken.length ? taken : group.rows) sheet.add(row.row, "sku_code", text);
    return;
  }
  const issues = error.extensions.issues;
  if (isIssueList(issues) && issues.length) {
    for (const issue of issues) {
      const at = locateIssue(group, pathKeys(issue.path));
      sheet.add(at.row, at.column, `${issue.message} (${issue.code})`);
    }
    return;
  }
  const column: Column =
    error.code.startsWith("category") || error.code === "unknown_category" ? "category_id" : "product_code";
  for (const row of group.rows) sheet.add(row.row, column, text);
}

async function categoryErrors(d1: D1Database, group: Group, cache: Map<string, string | null>, sheet: ErrorSheet) {
  const first = group.rows[0];
  if (!first) return;
  if (!cache.has(first.categoryId)) {
    const category = await findCategory(d1, first.categoryId);
    const problem = !category
      ? `类目 ${first.categoryId} 不存在 (unknown_category)`
      : isLeaf(category)
        ? null
        : `类目「${category.nameZh}」不是三级类目；商品只能放在三级类目下 (category_not_leaf)`;
    cache.set(first.categoryId, problem);
  }
  const problem = cache.get(first.categoryId);
  if (problem) sheet.add(first.row, "category_id", problem);
}

/** Updates existing SKUs by code with the row's prices, stock, weight and barcode; returns how many matched. */
async function updateRows(env: Env, supplierId: string, actor: ChangeActor, rows: SkuLine[], sheet: ErrorSheet) {
  const valid: { row: SkuLine; patch: SkuPatch }[] = [];
  for (const row of rows) {
    const parsed = UpdateSkuBody.safeParse({
      supplyPriceFen: row.supplyPriceFen,
      suggestedRetailFen: row.suggestedRetailFen,
      mapFen: row.mapFen,
      stock: row.stock,
      weightGrams: row.weightGrams,
      barcode: row.barcode,
    });
    if (parsed.success) valid.push({ row, patch: parsed.data });
    else {
      for (const issue of parsed.error.issues) {
        const at = locateIssue({ code: row.productCode, rowNumbers: [row.row], rows: [row] }, [
          "skus",
          0,
          ...issue.path,
        ]);
        sheet.add(row.row, at.column, `${issue.message} (${issue.code})`);
      }
    }
  }
  if (valid.length === 0) return 0;
  const outcomes = await applySkuChanges(
    env,
    supplierId,
    actor,
    valid.map(({ row, patch }) => ({ ref: { code: row.skuCode }, patch })),
  );
  let updated = 0;
  outcomes.forEach((outcome, i) => {
    const row = valid[i]?.row;
    if (!row) return;
    const single: Group = { code: row.productCode, rowNumbers: [row.row], rows: [row] };
    switch (outcome.outcome) {
      case "updated":
      case "unchanged":
        updated += 1;
        break;
      case "invalid":
        for (const issue of outcome.issues) {
          const at = locateIssue(single, ["skus", 0, ...pathKeys(issue.path)]);
          sheet.add(row.row, at.column, `${issue.message} (${issue.code})`);
        }
        break;
      default:
        sheet.add(row.row, "sku_code", `${outcome.detail} (${outcome.outcome})`);
    }
  });
  return updated;
}

/**
 * Validates and applies one chunk's records. Throws on infrastructure failures (the chunk is retried; re-applying
 * is harmless because SKUs are matched by code) and on `supplier_not_approved` (the import stops).
 */
export async function applyChunk(
  env: Env,
  supplierId: string,
  importId: string,
  records: CsvRecord[],
  index: Map<Column, number>,
): Promise<ChunkResult> {
  const sheet = new ErrorSheet();
  const entries: { row: number; productCode: string; value?: SkuLine }[] = [];
  const firstRowOfCode = new Map<string, number>();
  for (const record of records) {
    if (isBlank(record)) continue;
    const parsed = parseRow(record.row, record.fields, index);
    if (!parsed.ok) {
      for (const issue of parsed.issues) sheet.add(record.row, issue.column, issue.message);
      entries.push({ row: record.row, productCode: parsed.productCode });
      continue;
    }
    const earlier = firstRowOfCode.get(parsed.value.skuCode);
    if (earlier !== undefined) {
      sheet.add(record.row, "sku_code", `SKU 编码与第 ${earlier} 行重复 (duplicate_sku_code)`);
      entries.push({ row: record.row, productCode: parsed.value.productCode });
      continue;
    }
    firstRowOfCode.set(parsed.value.skuCode, record.row);
    entries.push({ row: record.row, productCode: parsed.value.productCode, value: parsed.value });
  }
  const groups = groupRows(entries);
  const actor: ChangeActor = { type: "import", id: importId };

  // Which codes exist already: an empty patch changes nothing, so the service only reports "unchanged"/"not_found".
  const candidates = groups.flatMap((g) => g.rows);
  const lookup = candidates.length
    ? await applySkuChanges(
        env,
        supplierId,
        actor,
        candidates.map((row) => ({ ref: { code: row.skuCode }, patch: {} })),
      )
    : [];
  const existing = new Set(candidates.filter((_, i) => lookup[i]?.outcome !== "not_found").map((r) => r.skuCode));

  const updates: SkuLine[] = [];
  const creates: Group[] = [];
  for (const group of groups) {
    if (!group.rows.some((row) => existing.has(row.skuCode))) {
      creates.push(group);
      continue;
    }
    for (const row of group.rows) {
      if (existing.has(row.skuCode)) updates.push(row);
      else {
        sheet.add(
          row.row,
          "sku_code",
          "本商品的其他 SKU 已存在，但这个 SKU 编码没有；已有商品的规格请在商品页增加 (sku_not_in_product)",
        );
      }
    }
  }
  const updated = await updateRows(env, supplierId, actor, updates, sheet);

  let created = 0;
  const categories = new Map<string, string | null>();
  for (const group of creates) {
    if (group.rowNumbers.every((row) => !sheet.has(row))) {
      await categoryErrors(env.DB, group, categories, sheet);
      consistencyErrors(group, sheet);
    }
    const input = group.rowNumbers.some((row) => sheet.has(row)) ? undefined : buildProduct(group, sheet);
    if (input) {
      try {
        await createProduct(env, supplierId, actor, input);
        created += group.rows.length;
      } catch (error) {
        if (!(error instanceof AppError) || error.code === "supplier_not_approved") throw error;
        placeCatalogError(group, error, sheet);
      }
    }
    blockGroup(group, sheet);
  }
  return { processed: entries.length, created, updated, sheet };
}
