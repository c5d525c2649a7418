/**
 * @module imports/assemble: pure steps between parsed rows and catalog calls — the error sheet a chunk fills,
 * grouping rows into products, and turning a product's rows into the catalog's own create input, validated by the
 * catalog's schema and matrix/price rules so a CSV row is held to exactly what the API would demand.
 */
import type { z } from "zod";
import type { ProblemIssue } from "../../errors";
import { checkMatrix, describeOptions, priceIssues } from "../catalog/rules";
import { CreateProductBody, type CreateProductInput } from "../catalog/schemas";
import type { Column, SkuLine } from "./columns";

export type ErrorColumn = Column | "(row)";

/** Collects row errors; several problems in one cell become one message, as import_errors keys by row and column. */
export class ErrorSheet {
  private readonly cells = new Map<string, { row: number; column: ErrorColumn; messages: string[] }>();
  private readonly rows = new Set<number>();

  add(row: number, column: ErrorColumn, message: string): void {
    const key = `${row}\u0000${column}`;
    const cell = this.cells.get(key) ?? { row, column, messages: [] };
    if (!cell.messages.includes(message)) cell.messages.push(message);
    this.cells.set(key, cell);
    this.rows.add(row);
  }

  has(row: number): boolean {
    return this.rows.has(row);
  }

  get failedRows(): number {
    return this.rows.size;
  }

  list(): { rowNumber: number; column: string; message: string }[] {
    return [...this.cells.values()]
      .sort((a, b) => a.row - b.row || a.column.localeCompare(b.column))
      .map((c) => ({ rowNumber: c.row, column: c.column, message: c.messages.join("；").slice(0, 1000) }));
  }
}

export interface Group {
  code: string;
  /** Every data row of the product in the chunk, parsed or not. */
  rowNumbers: number[];
  rows: SkuLine[];
}

/** Consecutive rows with the same product_code form one product (the upload refused files where they are apart). */
export function groupRows(entries: { row: number; productCode: string; value?: SkuLine }[]): Group[] {
  const groups: Group[] = [];
  for (const entry of entries) {
    let group = groups.at(-1);
    if (!group || group.code !== entry.productCode) {
      group = { code: entry.productCode, rowNumbers: [], rows: [] };
      groups.push(group);
    }
    group.rowNumbers.push(entry.row);
    if (entry.value) group.rows.push(entry.value);
  }
  return groups;
}

const PRODUCT_FIELDS = [
  ["categoryId", "category_id"],
  ["titleZh", "title_zh"],
  ["titleEn", "title_en"],
  ["descriptionZh", "description_zh"],
  ["status", "status"],
] as const;

const SKU_FIELD_COLUMNS: Record<string, Column> = {
  code: "sku_code",
  options: "attr1_value",
  supplyPriceFen: "supply_price",
  suggestedRetailFen: "suggested_retail_price",
  mapFen: "map_price",
  weightGrams: "weight_g",
  barcode: "barcode",
  stock: "stock",
};

const PRODUCT_COLUMNS: Record<string, Column> = {
  categoryId: "category_id",
  titleZh: "title_zh",
  titleEn: "title_en",
  descriptionZh: "description_zh",
  status: "status",
  skus: "product_code",
};

/** Where a catalog issue path (`skus.3.mapFen`, `attributes.1.values.0`, `titleZh`) lands in the file. */
export function locateIssue(group: Group, path: readonly PropertyKey[]): { row: number; column: ErrorColumn } {
  const first = group.rows[0]?.row ?? group.rowNumbers[0] ?? 0;
  const [head, index, field] = path;
  if (head === "skus" && typeof index === "number") {
    const row = group.rows[index]?.row ?? first;
    return { row, column: (typeof field === "string" && SKU_FIELD_COLUMNS[field]) || "(row)" };
  }
  if (head === "attributes" && typeof index === "number" && index < 3) {
    return { row: first, column: (field === "name" ? `attr${index + 1}_name` : `attr${index + 1}_value`) as Column };
  }
  return { row: first, column: (typeof head === "string" && PRODUCT_COLUMNS[head]) || "product_code" };
}

/** "skus.2.mapFen" (the path form the catalog's rule issues use) split back into keys. */
export function pathKeys(path: string): PropertyKey[] {
  return path === "" ? [] : path.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Product fields must read the same on every row of a product; each row that differs says from which row. */
export function consistencyErrors(group: Group, sheet: ErrorSheet): void {
  const [first, ...rest] = group.rows;
  if (!first) return;
  const axisNames = first.axes.map((a) => a.name).join("/");
  for (const row of rest) {
    for (const [field, column] of PRODUCT_FIELDS) {
      if (row[field] !== first[field]) {
        sheet.add(row.row, column, `与本商品第 ${first.row} 行的 ${column} 不一致 (product_field_mismatch)`);
      }
    }
    if (row.axes.map((a) => a.name).join("/") !== axisNames) {
      sheet.add(row.row, "attr1_name", `规格名与本商品第 ${first.row} 行不一致 (attribute_mismatch)`);
    }
  }
}

function issueText(issue: z.core.$ZodIssue | ProblemIssue): string {
  return `${issue.message} (${issue.code})`;
}

/**
 * The catalog's create input for a product's rows, or the errors that keep it from being created — every issue
 * the catalog would raise (schema, SKU matrix, price order), placed on the row and column it comes from.
 */
export function buildProduct(group: Group, sheet: ErrorSheet): CreateProductInput | undefined {
  const [first] = group.rows;
  if (!first) return undefined;
  const attributes = first.axes.map((axis, k) => ({
    name: axis.name,
    values: [...new Set(group.rows.map((row) => row.axes[k]?.value ?? ""))],
  }));
  const raw = {
    categoryId: first.categoryId,
    titleZh: first.titleZh,
    titleEn: first.titleEn,
    descriptionZh: first.descriptionZh,
    attributes,
    skus: group.rows.map((row) => ({
      options: Object.fromEntries(row.axes.map((a) => [a.name, a.value])),
      code: row.skuCode,
      supplyPriceFen: row.supplyPriceFen,
      suggestedRetailFen: row.suggestedRetailFen,
      mapFen: row.mapFen,
      weightGrams: row.weightGrams,
      barcode: row.barcode,
      stock: row.stock,
    })),
    ...(first.status ? { status: first.status } : {}),
  };
  const parsed = CreateProductBody.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = locateIssue(group, issue.path);
      sheet.add(at.row, at.column, issueText(issue));
    }
    return undefined;
  }
  const matrix = checkMatrix(
    parsed.data.attributes,
    parsed.data.skus.map((s) => s.options),
  );
  for (const issue of matrix.issues.filter((i) => i.code !== "missing_combination")) {
    const at = locateIssue(group, pathKeys(issue.path));
    sheet.add(at.row, at.column, issueText(issue));
  }
  if (matrix.missing.length) {
    const combos = matrix.missing.map(describeOptions).join("、");
    // Every row of the product carries it: whichever row the supplier looks at, it says what to add.
    for (const row of group.rows) {
      sheet.add(row.row, "product_code", `商品缺少规格组合：${combos} (missing_combination)`);
    }
  }
  parsed.data.skus.forEach((sku, i) => {
    for (const issue of priceIssues({ ...sku, mapFen: sku.mapFen ?? null }, `skus.${i}.`)) {
      const at = locateIssue(group, pathKeys(issue.path));
      sheet.add(at.row, at.column, issueText(issue));
    }
  });
  return group.rowNumbers.some((row) => sheet.has(row)) ? undefined : parsed.data;
}

/** A product imports whole or not at all: once one of its rows failed, the others say why they were left out. */
export function blockGroup(group: Group, sheet: ErrorSheet): void {
  const failed = group.rowNumbers.filter((row) => sheet.has(row));
  if (failed.length === 0) return;
  for (const row of group.rowNumbers) {
    if (!sheet.has(row)) {
      sheet.add(
        row,
        "product_code",
        `商品「${group.code}」的第 ${failed.join("、")} 行有错误，整个商品未导入 (product_has_errors)`,
      );
    }
  }
}
