/**
 * @module pool/service: browsing the supply pool — search, filters, sorts, keyset pages — and one product with
 * each SKU's price floor for the asking merchant.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import { ftsMatch } from "../catalog/search-index";
import { priceFloorFen } from "../listings/guardrails";
import { imageUrl } from "../media/urls";
import { minMarginBpsFor } from "../shop/policy";
import { decodeCursor, encodeCursor } from "./cursor";
import {
  activeSkusOf,
  activeSkusOfMany,
  type CategoryOption,
  categoryOptions,
  type PoolFilter,
  type PoolRow,
  poolRows,
  productStatusOf,
  type SkuRow,
} from "./repository";
import type { PoolItem, PoolProduct, PoolQueryInput, PoolSku } from "./schemas";

const OptionsSchema = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

/** A SKU's options (`{"颜色":"红色","尺码":"M"}`); a malformed stored value reads as no options. */
export function skuOptions(json: string): Record<string, string> {
  try {
    const parsed = OptionsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * How merchants name a SKU: its option values in order, else its code.
 * @example skuLabel({ options: '{"颜色":"红色","尺码":"M"}', code: "TS-R-M" }) // "红色/M"
 */
export function skuLabel(sku: { options: string; code: string }): string {
  const values = Object.values(skuOptions(sku.options));
  return values.length > 0 ? values.join("/") : sku.code;
}

function itemOf(row: PoolRow): PoolItem {
  return {
    productId: row.productId,
    titleZh: row.titleZh,
    titleEn: row.titleEn,
    category:
      row.categoryNameZh === null
        ? null
        : { id: row.categoryId, nameZh: row.categoryNameZh, nameEn: row.categoryNameEn ?? row.categoryNameZh },
    supplier: { id: row.supplierId, name: row.supplierName, grade: row.grade },
    supplyFen: { minFen: row.minSupplyFen, maxFen: row.maxSupplyFen },
    suggestedRetailFen: { minFen: row.minRetailFen, maxFen: row.maxRetailFen },
    marginBps: row.marginBps,
    stockTotal: row.stockTotal,
    salesCount: row.salesCount,
    createdAtMs: row.createdAtMs,
    imageUrl: row.imageKey === null ? null : imageUrl(row.imageKey),
    pickedListingId: row.pickedListingId,
  };
}

function sortKeyOf(row: PoolRow, sort: PoolQueryInput["sort"]): number {
  return sort === "margin" ? row.marginBps : sort === "sales" ? row.salesCount : row.createdAtMs;
}

export async function browsePool(
  d1: D1Database,
  merchantId: string,
  query: PoolQueryInput,
): Promise<{ items: PoolItem[]; nextCursor: string | null }> {
  const filter: PoolFilter = {
    categoryId: query.categoryId,
    minSupplyFen: query.minSupplyFen,
    maxSupplyFen: query.maxSupplyFen,
    grade: query.grade,
    minMarginBps: query.minMarginBps,
  };
  if (query.q) {
    const match = ftsMatch(query.q);
    // Only punctuation or symbols: nothing can match it.
    if (match === undefined) return { items: [], nextCursor: null };
    filter.ftsMatch = match;
  }
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort);
  const after = cursor && { key: cursor.k, id: cursor.id };
  const rows = await poolRows(d1, merchantId, filter, { sort: query.sort, after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ s: query.sort, k: sortKeyOf(last, query.sort), id: last.productId })
      : null;
  return { items: page.map(itemOf), nextCursor };
}

/** Whether the supplier still offers the product (`listed`); a missing product counts as not listed. */
export async function productIsListed(d1: D1Database, productId: string): Promise<boolean> {
  return (await productStatusOf(d1, productId)) === "listed";
}

/** A product's active SKUs, whether or not the product is still in the pool. */
export function activeSkus(d1: D1Database, productId: string): Promise<SkuRow[]> {
  return activeSkusOf(d1, productId);
}

export function poolSkuOf(sku: SkuRow, minMarginBps: number): PoolSku {
  return {
    id: sku.id,
    code: sku.code,
    label: skuLabel(sku),
    options: skuOptions(sku.options),
    supplyPriceFen: sku.supplyPriceFen,
    suggestedRetailFen: sku.suggestedRetailFen,
    mapFen: sku.mapFen,
    stock: sku.stock,
    floorFen: priceFloorFen(sku, minMarginBps),
  };
}

/** A pool product with its active SKUs and this merchant's floors, or undefined when it is not in the pool. */
export async function findPoolProduct(
  d1: D1Database,
  merchantId: string,
  productId: string,
): Promise<(PoolProduct & { skuRows: SkuRow[] }) | undefined> {
  const [row] = await poolRows(d1, merchantId, { productId }, { sort: "newest", limit: 1 });
  if (!row) return undefined;
  const [skuRows, minMarginBps] = await Promise.all([activeSkusOf(d1, productId), minMarginBpsFor(d1, merchantId)]);
  return {
    ...itemOf(row),
    descriptionZh: row.descriptionZh,
    minMarginBps,
    skus: skuRows.map((sku) => poolSkuOf(sku, minMarginBps)),
    skuRows,
  };
}

export async function poolProduct(d1: D1Database, merchantId: string, productId: string): Promise<PoolProduct> {
  const found = await findPoolProduct(d1, merchantId, productId);
  if (!found) throw new AppError("not_found", `Product ${productId} is not in the supply pool`);
  const { skuRows: _rows, ...product } = found;
  return product;
}

/** Each product's active SKUs with this merchant's floors, for pick forms beside a page of pool results. */
export async function pickableSkus(
  d1: D1Database,
  merchantId: string,
  productIds: string[],
): Promise<{ minMarginBps: number; skusByProduct: Map<string, PoolSku[]> }> {
  const [rows, minMarginBps] = await Promise.all([activeSkusOfMany(d1, productIds), minMarginBpsFor(d1, merchantId)]);
  const skusByProduct = new Map<string, PoolSku[]>();
  for (const row of rows) {
    skusByProduct.set(row.productId, [...(skusByProduct.get(row.productId) ?? []), poolSkuOf(row, minMarginBps)]);
  }
  return { minMarginBps, skusByProduct };
}

export function poolCategories(d1: D1Database): Promise<CategoryOption[]> {
  return categoryOptions(d1);
}
