/**
 * @module imports/columns: the CSV import format — which columns a header may name, and how one row's text becomes
 * typed values (yuan to integer fen without floats, whole numbers, enums). Product-level rules (lengths, matrix,
 * price order) are the catalog's own and are checked when rows are assembled into products.
 */
import { z } from "zod";
import { parseYuan } from "../../lib/money";

export const MAX_AXES = 3;

export const COLUMNS = [
  "product_code",
  "category_id",
  "title_zh",
  "title_en",
  "description_zh",
  "attr1_name",
  "attr1_value",
  "attr2_name",
  "attr2_value",
  "attr3_name",
  "attr3_value",
  "sku_code",
  "supply_price",
  "suggested_retail_price",
  "map_price",
  "weight_g",
  "barcode",
  "stock",
  "status",
] as const;
export type Column = (typeof COLUMNS)[number];

/** A header must name these; the others may be left out (read as empty). */
export const REQUIRED_COLUMNS: readonly Column[] = [
  "product_code",
  "category_id",
  "title_zh",
  "description_zh",
  "sku_code",
  "supply_price",
  "suggested_retail_price",
  "stock",
];

export interface RowIssue {
  column: Column | "(row)";
  message: string;
}

/** Where each column sits in the file's header, or why the header cannot be used. */
export function readHeader(
  fields: string[],
): { ok: true; index: Map<Column, number> } | { ok: false; message: string } {
  const index = new Map<Column, number>();
  const unknown: string[] = [];
  for (const [i, raw] of fields.entries()) {
    const name = raw.trim().toLowerCase();
    if (name === "") continue;
    const column = COLUMNS.find((c) => c === name);
    if (!column) unknown.push(raw.trim());
    else if (index.has(column)) return { ok: false, message: `表头列重复：${column} (duplicate_column)` };
    else index.set(column, i);
  }
  if (unknown.length) return { ok: false, message: `表头有未知的列：${unknown.join(", ")} (unknown_column)` };
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) return { ok: false, message: `表头缺少必填列：${missing.join(", ")} (missing_column)` };
  return { ok: true, index };
}

const WHOLE = /^\d{1,9}$/;

const required = (what: string) => z.string().trim().min(1, `${what}不能为空 (required)`);
const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? null : v));
/** Yuan text to fen; `optionalYuan` also reads an empty cell as "none". */
const yuanText = (what: string) => (text: string, ctx: z.RefinementCtx) => {
  const fen = parseYuan(text);
  if (fen === undefined) {
    ctx.addIssue({ code: "custom", message: `${what}须为最多两位小数的金额（元），如 12.50 (price_format)` });
    return z.NEVER;
  }
  return fen;
};
const yuan = (what: string) => z.string().trim().transform(yuanText(what));
const optionalYuan = (what: string) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => (text === "" ? null : yuanText(what)(text, ctx)));
const whole = (what: string, fallback: number | undefined) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      if (text === "" && fallback !== undefined) return fallback;
      if (!WHOLE.test(text)) {
        ctx.addIssue({ code: "custom", message: `${what}须为不小于 0 的整数 (integer_format)` });
        return z.NEVER;
      }
      return Number(text);
    });

const RowSchema = z.strictObject({
  product_code: required("商品编码 product_code").pipe(z.string().max(64, "商品编码最多 64 个字符 (too_long)")),
  category_id: required("类目 category_id"),
  title_zh: required("中文标题 title_zh"),
  title_en: optional,
  description_zh: required("中文描述 description_zh"),
  attr1_name: z.string().trim(),
  attr1_value: z.string().trim(),
  attr2_name: z.string().trim(),
  attr2_value: z.string().trim(),
  attr3_name: z.string().trim(),
  attr3_value: z.string().trim(),
  sku_code: required("SKU 编码 sku_code"),
  supply_price: yuan("供货价 supply_price"),
  suggested_retail_price: yuan("建议零售价 suggested_retail_price"),
  map_price: optionalYuan("最低售价 map_price"),
  weight_g: whole("重量 weight_g", 0),
  barcode: optional,
  stock: whole("库存 stock", undefined),
  status: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["", "draft", "listed"], { error: "状态只能是 draft 或 listed (status_invalid)" }))
    .transform((v) => (v === "" ? null : v)),
});

/** One data row of the file, typed: a SKU line of a product. */
export interface SkuLine {
  row: number;
  productCode: string;
  categoryId: string;
  titleZh: string;
  titleEn: string | null;
  descriptionZh: string;
  /** Axis name → value, in the file's axis order. */
  axes: { name: string; value: string }[];
  skuCode: string;
  supplyPriceFen: number;
  suggestedRetailFen: number;
  mapFen: number | null;
  weightGrams: number;
  barcode: string | null;
  stock: number;
  status: "draft" | "listed" | null;
}

export type ParsedRow = { ok: true; value: SkuLine } | { ok: false; productCode: string; issues: RowIssue[] };

function isColumn(value: unknown): value is Column {
  return COLUMNS.some((c) => c === value);
}

/** One data record's fields (in header order) to a typed row, or every column that is wrong with it. */
export function parseRow(row: number, fields: string[], index: Map<Column, number>): ParsedRow {
  const raw = Object.fromEntries(COLUMNS.map((c) => [c, fields[index.get(c) ?? -1] ?? ""])) as Record<Column, string>;
  const productCode = raw.product_code.trim();
  const parsed = RowSchema.safeParse(raw);
  const issues: RowIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        column: isColumn(issue.path[0]) ? issue.path[0] : "(row)",
        message: issue.message,
      }));
  const axes: { name: string; value: string }[] = [];
  const names = [raw.attr1_name, raw.attr2_name, raw.attr3_name];
  const values = [raw.attr1_value, raw.attr2_value, raw.attr3_value];
  let gap = false;
  for (let i = 0; i < MAX_AXES; i++) {
    const name = names[i]?.trim() ?? "";
    const value = values[i]?.trim() ?? "";
    const n = i + 1;
    if (name === "" && value === "") {
      gap = true;
      continue;
    }
    if (name === "" || value === "") {
      const column = (name === "" ? `attr${n}_name` : `attr${n}_value`) as Column;
      issues.push({ column, message: `规格 ${n} 的名称和值要同时填写 (attribute_incomplete)` });
    } else if (gap) {
      issues.push({ column: `attr${n}_name` as Column, message: `规格请从 attr1 开始依次填写 (attribute_gap)` });
    } else if (axes.some((a) => a.name === name)) {
      issues.push({ column: `attr${n}_name` as Column, message: `规格名「${name}」重复 (attribute_repeated)` });
    } else axes.push({ name, value });
  }
  if (!parsed.success || issues.length) return { ok: false, productCode, issues };
  const d = parsed.data;
  return {
    ok: true,
    value: {
      row,
      productCode: d.product_code,
      categoryId: d.category_id,
      titleZh: d.title_zh,
      titleEn: d.title_en,
      descriptionZh: d.description_zh,
      axes,
      skuCode: d.sku_code,
      supplyPriceFen: d.supply_price,
      suggestedRetailFen: d.suggested_retail_price,
      mapFen: d.map_price,
      weightGrams: d.weight_g,
      barcode: d.barcode,
      stock: d.stock,
      status: d.status,
    },
  };
}
