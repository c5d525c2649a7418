/**
 * @module listings/service: a merchant picks pool products into the shop at its own prices, within the guardrails;
 * every change bumps the shop's catalog version in the same batch so cached storefront pages go stale at once.
 */
import { runBatch } from "../../db/client";
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import { formatFen } from "../../lib/money";
import { imageUrl } from "../media/urls";
import { decodeCursor, encodeCursor } from "../pool/cursor";
import type { SkuRow } from "../pool/repository";
import { activeSkus, findPoolProduct, skuLabel, skuOptions } from "../pool/service";
import { catalogBump, minMarginBpsFor } from "../shop/policy";
import { priceFloorFen } from "./guardrails";
import {
  clearPricesStatement,
  findListing,
  findListingOfProduct,
  insertListingStatement,
  insertPricesStatements,
  type ListingRow,
  listingPrices,
  listingSummaries,
  ownListingIds,
  removeListingStatement,
  reviveListingStatement,
  type SummaryRow,
  setPriceIfUnchangedStatement,
  setStatusIfUnchangedStatement,
} from "./repository";
import type {
  CreateListingInput,
  ListingDetail,
  ListingSummary,
  ListingsQueryInput,
  PriceEntry,
  UpdateListingInput,
} from "./schemas";

export interface PriceIssue {
  path: string;
  message: string;
  code: string;
  skuId?: string;
  priceFen?: number;
  floorFen?: number;
}

/** The sentence a merchant reads when a price is under its floor, in the API, the console and pause reasons. */
export function belowFloorText(label: string, priceFen: number, floorFen: number): string {
  return `SKU ${label} 售价 ${formatFen(priceFen)} 低于最低售价 ${formatFen(floorFen)}`;
}

/** Every priced SKU must be an active SKU of this product, and on creation every active SKU must be priced. */
function checkSkus(active: SkuRow[], prices: PriceEntry[], requireAll: boolean): void {
  const ids = new Set(active.map((sku) => sku.id));
  const issues: PriceIssue[] = [];
  prices.forEach((price, i) => {
    if (!ids.has(price.skuId)) {
      issues.push({
        path: `prices.${i}.skuId`,
        code: "sku_not_in_product",
        message: `${price.skuId} is not an active SKU of this product`,
        skuId: price.skuId,
      });
    }
  });
  if (requireAll) {
    const priced = new Set(prices.map((p) => p.skuId));
    for (const sku of active) {
      if (!priced.has(sku.id)) {
        issues.push({
          path: "prices",
          code: "sku_price_missing",
          message: `SKU ${skuLabel(sku)} needs a price`,
          skuId: sku.id,
        });
      }
    }
  }
  const first = issues[0];
  if (first) {
    throw new AppError("validation_failed", `${first.path}: ${first.message}`, { extensions: { issues } });
  }
}

function checkFloors(active: SkuRow[], prices: (PriceEntry & { path: string })[], minMarginBps: number): void {
  const byId = new Map(active.map((sku) => [sku.id, sku]));
  const issues: PriceIssue[] = [];
  for (const price of prices) {
    const sku = byId.get(price.skuId);
    if (!sku) continue;
    const floorFen = priceFloorFen(sku, minMarginBps);
    if (price.priceFen < floorFen) {
      issues.push({
        path: price.path,
        code: "below_floor",
        message: belowFloorText(skuLabel(sku), price.priceFen, floorFen),
        skuId: sku.id,
        priceFen: price.priceFen,
        floorFen,
      });
    }
  }
  const first = issues[0];
  if (first) {
    throw new AppError("price_below_guardrail", first.message, { extensions: { issues, minMarginBps } });
  }
}

function summaryOf(row: SummaryRow): ListingSummary {
  return {
    id: row.id,
    productId: row.productId,
    titleZh: row.titleZh ?? "",
    titleEn: row.titleEn,
    imageUrl: row.imageKey === null ? null : imageUrl(row.imageKey),
    status: row.status,
    pauseReason: row.pauseReason,
    priceRange:
      row.minPriceFen === null || row.maxPriceFen === null
        ? null
        : { minFen: row.minPriceFen, maxFen: row.maxPriceFen },
    stockTotal: row.stockTotal,
    stockState: row.stockTotal > 0 ? "in_stock" : "sold_out",
    createdAtMs: row.createdAtMs,
    updatedAtMs: row.updatedAtMs,
  };
}

const LIST_SORT = "created";

export async function listListings(
  d1: D1Database,
  merchantId: string,
  query: ListingsQueryInput,
): Promise<{ items: ListingSummary[]; nextCursor: string | null }> {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, LIST_SORT);
  const rows = await listingSummaries(d1, merchantId, {
    status: query.status ?? "current",
    after: cursor && { createdAtMs: cursor.k, id: cursor.id },
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor({ s: LIST_SORT, k: last.createdAtMs, id: last.id }) : null;
  return { items: page.map(summaryOf), nextCursor };
}

export async function getListing(d1: D1Database, merchantId: string, listingId: string): Promise<ListingDetail> {
  const [row] = await listingSummaries(d1, merchantId, { listingId, status: "any", limit: 1 });
  if (!row) throw new AppError("not_found", `No listing ${listingId} in this shop`);
  const [skuRows, prices, minMarginBps] = await Promise.all([
    activeSkus(d1, row.productId),
    listingPrices(d1, merchantId, listingId),
    minMarginBpsFor(d1, merchantId),
  ]);
  return {
    ...summaryOf(row),
    minMarginBps,
    skus: skuRows.map((sku) => {
      const priceFen = prices.get(sku.id) ?? null;
      const floorFen = priceFloorFen(sku, minMarginBps);
      return {
        skuId: sku.id,
        code: sku.code,
        label: skuLabel(sku),
        options: skuOptions(sku.options),
        priceFen,
        supplyPriceFen: sku.supplyPriceFen,
        suggestedRetailFen: sku.suggestedRetailFen,
        mapFen: sku.mapFen,
        stock: sku.stock,
        floorFen,
        belowFloor: priceFen !== null && priceFen < floorFen,
      };
    }),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const texts = [String(error), error instanceof Error ? String(error.cause) : ""];
  return texts.some((text) => text.includes("UNIQUE constraint failed"));
}

export async function createListing(
  d1: D1Database,
  merchantId: string,
  input: CreateListingInput,
): Promise<ListingDetail> {
  const product = await findPoolProduct(d1, merchantId, input.productId);
  if (!product) throw new AppError("not_found", `Product ${input.productId} is not in the supply pool`);
  checkSkus(product.skuRows, input.prices, true);
  checkFloors(
    product.skuRows,
    input.prices.map((price, i) => ({ ...price, path: `prices.${i}.priceFen` })),
    product.minMarginBps,
  );
  const existing = await findListingOfProduct(d1, merchantId, input.productId);
  if (existing && existing.status !== "removed") {
    throw new AppError("listing_exists", `Already listed as ${existing.id}`, {
      extensions: { listingId: existing.id },
    });
  }
  const nowMs = Date.now();
  const listingId = existing?.id ?? newId("lst", nowMs);
  const head = existing
    ? reviveListingStatement(d1, merchantId, listingId, nowMs)
    : insertListingStatement(d1, {
        id: listingId,
        merchantId,
        productId: input.productId,
        status: "active",
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
      });
  try {
    await runBatch(d1, [
      head,
      clearPricesStatement(d1, merchantId, listingId),
      ...insertPricesStatements(d1, merchantId, listingId, input.prices),
      catalogBump(d1, merchantId, nowMs),
    ]);
  } catch (error) {
    // Two picks of the same product raced: the loser hits the (merchant, product) unique index.
    if (isUniqueViolation(error)) throw new AppError("listing_exists", "This product was just listed in your shop");
    throw error;
  }
  return getListing(d1, merchantId, listingId);
}

async function requireListing(d1: D1Database, merchantId: string, listingId: string): Promise<ListingRow> {
  const listing = await findListing(d1, merchantId, listingId);
  if (!listing) throw new AppError("not_found", `No listing ${listingId} in this shop`);
  return listing;
}

export async function updateListing(
  d1: D1Database,
  merchantId: string,
  listingId: string,
  input: UpdateListingInput,
): Promise<ListingDetail> {
  const listing = await requireListing(d1, merchantId, listingId);
  if (listing.status === "removed") {
    throw new AppError("invalid_transition", "This listing was removed; pick the product again from the pool");
  }
  const [skuRows, current, minMarginBps] = await Promise.all([
    activeSkus(d1, listing.productId),
    listingPrices(d1, merchantId, listingId),
    minMarginBpsFor(d1, merchantId),
  ]);
  const changes = input.prices ?? [];
  checkSkus(skuRows, changes, false);
  checkFloors(
    skuRows,
    changes.map((price, i) => ({ ...price, path: `prices.${i}.priceFen` })),
    minMarginBps,
  );
  const target = input.status ?? listing.status;
  if (target === "active") {
    if (!(await findPoolProduct(d1, merchantId, listing.productId))) {
      throw new AppError("invalid_transition", "该商品已不在供货池（供应商已下架或暂停供货），无法上架");
    }
    const merged = new Map(current);
    for (const change of changes) merged.set(change.skuId, change.priceFen);
    const priced = skuRows.flatMap((sku) => {
      const priceFen = merged.get(sku.id);
      return priceFen === undefined ? [] : [{ skuId: sku.id, priceFen, path: `skus.${sku.id}` }];
    });
    if (priced.length === 0) throw new AppError("invalid_transition", "Price at least one active SKU first");
    checkFloors(skuRows, priced, minMarginBps);
  }
  // A platform pause keeps its reason until the merchant turns the listing back on.
  const pauseReason = target === "paused" && listing.status === "paused" ? listing.pauseReason : null;
  const nowMs = Math.max(Date.now(), listing.updatedAtMs + 1);
  await runBatch(d1, [
    ...changes.map((price) => setPriceIfUnchangedStatement(d1, merchantId, listingId, listing.updatedAtMs, price)),
    setStatusIfUnchangedStatement(
      d1,
      merchantId,
      listingId,
      listing.updatedAtMs,
      { status: target, pauseReason, minMarginBps },
      nowMs,
    ),
    catalogBump(d1, merchantId, nowMs),
  ]);
  const after = await findListing(d1, merchantId, listingId);
  if (after?.updatedAtMs !== nowMs) {
    throw new AppError("conflict", "The listing or its product changed meanwhile; reload and try again");
  }
  return getListing(d1, merchantId, listingId);
}

/** Removing is idempotent: a removed listing stays removed and answers as it is. */
export async function removeListing(d1: D1Database, merchantId: string, listingId: string): Promise<ListingDetail> {
  const listing = await requireListing(d1, merchantId, listingId);
  if (listing.status !== "removed") {
    const nowMs = Date.now();
    await runBatch(d1, [removeListingStatement(d1, merchantId, listingId, nowMs), catalogBump(d1, merchantId, nowMs)]);
  }
  return getListing(d1, merchantId, listingId);
}

/** Which of these listing ids this merchant owns (and has not removed); for collections on the shop's home page. */
export function ownedListingIds(d1: D1Database, merchantId: string, ids: string[]): Promise<Set<string>> {
  return ownListingIds(d1, merchantId, ids);
}
