/**
 * @module listings/subscriber: when a supplier changes a product or one of its SKUs, active listings that broke a
 * guardrail (product delisted, price now below its floor) are paused with a reason the merchant can act on, and the
 * shops showing the product get a new catalog version. Decisions come from the rows in D1 now, never from the
 * event's numbers, so duplicates and out-of-order deliveries converge on the same result.
 */
import type { Effects, Subscriber } from "../../events/consumer";
import { makeEvent } from "../../events/outbox";
import type { SkuRow } from "../pool/repository";
import { activeSkus, productIsListed, skuLabel } from "../pool/service";
import { catalogBump, minMarginBpsForMany } from "../shop/policy";
import { DEFAULT_MIN_MARGIN_BPS, floorCause, priceFloorFen } from "./guardrails";
import {
  belowFloorSql,
  type ListedPriceRow,
  listingsOfProductAcrossMerchants,
  pausedEventStatement,
  pauseIfBrokenStatement,
  productNotListedSql,
} from "./repository";
import { belowFloorText } from "./service";

export const DELISTED_REASON = "供应商已下架该商品";

const CAUSE_PREFIX = { supply: "供应价上调：", map: "最低限价上调：" } as const;

/** The first SKU (in the supplier's order) whose price is under its floor, as the pause reason; else undefined. */
export function breachReason(skus: SkuRow[], prices: Map<string, number>, minMarginBps: number): string | undefined {
  for (const sku of skus) {
    const priceFen = prices.get(sku.id);
    if (priceFen === undefined) continue;
    const floorFen = priceFloorFen(sku, minMarginBps);
    if (priceFen < floorFen) {
      return `${CAUSE_PREFIX[floorCause(sku, minMarginBps)]}${belowFloorText(skuLabel(sku), priceFen, floorFen)}`;
    }
  }
  return undefined;
}

function pricesByListing(rows: ListedPriceRow[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const prices = out.get(row.listingId) ?? new Map<string, number>();
    prices.set(row.skuId, row.priceFen);
    out.set(row.listingId, prices);
  }
  return out;
}

/** The writes that bring every listing of `productId` in line with the product as it is now. */
export async function guardrailEffects(d1: D1Database, productId: string, nowMs: number): Promise<Effects> {
  const [listed, found, skus] = await Promise.all([
    productIsListed(d1, productId),
    listingsOfProductAcrossMerchants(d1, productId),
    activeSkus(d1, productId),
  ]);
  if (found.listings.length === 0) return [];
  const merchantIds = [...new Set(found.listings.map((listing) => listing.merchantId))];
  const margins = await minMarginBpsForMany(d1, merchantIds);
  const prices = pricesByListing(found.prices);
  const effects: Effects = [];
  for (const listing of found.listings) {
    if (listing.status !== "active") continue;
    const minMarginBps = margins.get(listing.merchantId) ?? DEFAULT_MIN_MARGIN_BPS;
    const reason = listed ? breachReason(skus, prices.get(listing.id) ?? new Map(), minMarginBps) : DELISTED_REASON;
    if (reason === undefined) continue;
    const event = makeEvent(
      "listing.paused",
      { listingId: listing.id, merchantId: listing.merchantId, productId, reason },
      nowMs,
    );
    const broken = listed ? belowFloorSql(minMarginBps) : productNotListedSql();
    effects.push(pauseIfBrokenStatement(d1, listing.id, reason, broken, nowMs), pausedEventStatement(d1, event, nowMs));
  }
  // Stock, prices or availability shown on these shops' pages changed, paused or not: their cached pages go.
  for (const merchantId of merchantIds) effects.push(catalogBump(d1, merchantId, nowMs));
  return effects;
}

export const listingGuardrailSubscriber: Subscriber = {
  name: "listing-guardrails",
  types: ["sku.supply_changed", "product.status_changed"],
  async handle(event, env): Promise<Effects> {
    if (event.type !== "sku.supply_changed" && event.type !== "product.status_changed") return [];
    return guardrailEffects(env.DB, event.payload.productId, Date.now());
  },
};
