/**
 * @module catalog/listing: a supplier's product list — newest first, paged by an opaque cursor, filtered by status
 * and by title words (FTS) or an exact SKU code, with SKU totals and a cover image per product.
 */
import { AppError } from "../../errors";
import { imageUrl } from "../media/urls";
import { type ImageRow, imagesOf, listProducts, type ProductRow, skuTotals } from "./repository";
import type { ListProductsQueryInput } from "./schemas";
import { ftsMatch } from "./search-index";

const CURSOR = /^(\d{1,15}):(prd_[0-9A-Za-z_]{1,60})$/;

function encodeCursor(row: ProductRow): string {
  return btoa(`${row.createdAtMs}:${row.id}`).replace(/=+$/, "");
}

function decodeCursor(cursor: string): { createdAtMs: number; id: string } {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // Falls through to the same refusal as a well-formed but foreign cursor.
  }
  const match = CURSOR.exec(text);
  if (!match?.[1] || !match[2]) throw new AppError("validation_failed", "cursor is not one this API gave out");
  return { createdAtMs: Number(match[1]), id: match[2] };
}

/** The supplier's own products, newest first, with SKU totals and the first image as a cover. */
export async function listOwnProducts(d1: D1Database, supplierId: string, query: ListProductsQueryInput) {
  const q = query.q?.trim();
  const rows = await listProducts(d1, supplierId, {
    status: query.status,
    match: q ? ftsMatch(q) : undefined,
    code: q || undefined,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const ids = page.map((p) => p.id);
  const [totals, images] = await Promise.all([skuTotals(d1, supplierId, ids), imagesOf(d1, supplierId, ids)]);
  const totalsOf = new Map(totals.map((t) => [t.productId, t]));
  const coverOf = new Map<string, ImageRow>();
  for (const image of images) if (!coverOf.has(image.productId)) coverOf.set(image.productId, image);
  const items = page.map((p) => {
    const t = totalsOf.get(p.id);
    const cover = coverOf.get(p.id);
    return {
      id: p.id,
      categoryId: p.categoryId,
      titleZh: p.titleZh,
      titleEn: p.titleEn,
      status: p.status,
      skuCount: t?.skuCount ?? 0,
      stockTotal: t?.stockTotal ?? 0,
      supplyPriceFen: t ? { min: t.minSupply, max: t.maxSupply } : null,
      suggestedRetailFen: t ? { min: t.minRetail, max: t.maxRetail } : null,
      coverUrl: cover ? imageUrl(cover.r2Key) : null,
      createdAtMs: p.createdAtMs,
      updatedAtMs: p.updatedAtMs,
    };
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}
