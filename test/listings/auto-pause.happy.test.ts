import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { deliver } from "../../worker/events/consumer";
import { relayOutbox } from "../../worker/events/outbox";
import type { AnyEvent } from "../../worker/events/types";
import { listingGuardrailSubscriber } from "../../worker/modules/listings/subscriber";
import { call, type MerchantTenant, platformAdmin } from "../helpers";
import { delivery, EVENTS_QUEUE, notificationsFromEvent, runQueue } from "../support/events";
import {
  approvedPoolSupplier,
  catalogVersion,
  changeProductStatus,
  changeSku,
  type InsertedProduct,
  insertCategory,
  insertProduct,
  type ListingView,
  listingRow,
  type PoolSupplier,
  pausedEventsFor,
  pick,
} from "../support/pool";
import { inbox, openShop } from "../support/tenants";

let supplier: PoolSupplier;
let categoryId: string;

beforeAll(async () => {
  supplier = await approvedPoolSupplier(await platformAdmin());
  categoryId = (await insertCategory("运动")).id;
});

/** One SKU 红色/M at ¥12.00 supply, listed by a new shop at ¥14.00 (floor ¥13.20). */
async function listedAt1400(): Promise<{
  shop: MerchantTenant;
  product: InsertedProduct;
  listing: ListingView;
  skuId: string;
}> {
  const shop = await openShop();
  const product = await insertProduct({
    supplierId: supplier.supplierId,
    categoryId,
    titleZh: "速干运动衣",
    skus: [{ options: { 颜色: "红色", 尺码: "M" }, supplyPriceFen: 1200, suggestedRetailFen: 1990, stock: 8 }],
  });
  const listing = await pick(shop, product, [1400]);
  return { shop, product, listing, skuId: product.skuIds[0] ?? "" };
}

function handle(event: AnyEvent): Promise<boolean> {
  return deliver(env, listingGuardrailSubscriber, event);
}

describe("a supplier raises a price", () => {
  it("a listing now under its floor is paused with the SKU, its price and the new floor, and the shop is told", async () => {
    const { shop, listing, skuId } = await listedAt1400();
    const before = await catalogVersion(shop.merchantId);
    expect(await handle(await changeSku(skuId, { supplyPriceFen: 1300 }))).toBe(true);
    const reason = "供应价上调：SKU 红色/M 售价 ¥14.00 低于最低售价 ¥14.30";
    expect(await listingRow(listing.id)).toMatchObject({ status: "paused", pause_reason: reason });
    expect(await catalogVersion(shop.merchantId)).toBe((before ?? 0) + 1);
    const events = await pausedEventsFor(listing.id);
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      { listingId: listing.id, merchantId: shop.merchantId, productId: listing.productId, reason },
    ]);
    const res = await call(`/api/merchant/listings/${listing.id}`, { session: shop });
    expect(await res.json()).toMatchObject({ status: "paused", pauseReason: reason });
  });

  it("a raised MAP pauses with a reason that names the minimum price rule", async () => {
    const { listing, skuId } = await listedAt1400();
    await handle(await changeSku(skuId, { mapFen: 1500 }));
    expect((await listingRow(listing.id))?.pause_reason).toBe(
      "最低限价上调：SKU 红色/M 售价 ¥14.00 低于最低售价 ¥15.00",
    );
  });

  it("a raise the listing price still covers leaves it active but refreshes the shop's pages", async () => {
    const { shop, listing, skuId } = await listedAt1400();
    const before = await catalogVersion(shop.merchantId);
    await handle(await changeSku(skuId, { supplyPriceFen: 1272 }));
    expect((await listingRow(listing.id))?.status).toBe("active");
    expect(await pausedEventsFor(listing.id)).toEqual([]);
    expect(await catalogVersion(shop.merchantId)).toBe((before ?? 0) + 1);
  });

  it("each shop is judged by its own minimum margin", async () => {
    const relaxed = await listedAt1400();
    const strict = await openShop();
    const saved = await call("/api/merchant/shop-settings", {
      method: "PUT",
      session: strict,
      body: { template: "general", minMarginBps: 1500, homeSections: [] },
    });
    expect(saved.status).toBe(200);
    const strictListing = await pick(strict, relaxed.product, [1400]);
    await handle(await changeSku(relaxed.skuId, { supplyPriceFen: 1250 }));
    expect((await listingRow(relaxed.listing.id))?.status).toBe("active");
    expect(await listingRow(strictListing.id)).toMatchObject({
      status: "paused",
      pause_reason: "供应价上调：SKU 红色/M 售价 ¥14.00 低于最低售价 ¥14.38",
    });
  });
});

describe("a supplier delists a product", () => {
  it("every shop's active listing of it is paused with 供应商已下架该商品; a merchant-paused or removed one is left alone", async () => {
    const first = await listedAt1400();
    const [second, third, fourth] = await Promise.all([openShop(), openShop(), openShop()]);
    const active = await pick(second, first.product, [1500]);
    const merchantPaused = await pick(third, first.product, [1500]);
    const removed = await pick(fourth, first.product, [1500]);
    await call(`/api/merchant/listings/${merchantPaused.id}`, {
      method: "PATCH",
      session: third,
      body: { status: "paused" },
    });
    await call(`/api/merchant/listings/${removed.id}`, { method: "DELETE", session: fourth });

    await handle(await changeProductStatus(first.product.productId, "delisted"));
    for (const id of [first.listing.id, active.id]) {
      expect(await listingRow(id)).toMatchObject({ status: "paused", pause_reason: "供应商已下架该商品" });
      expect(await pausedEventsFor(id)).toHaveLength(1);
    }
    expect(await listingRow(merchantPaused.id)).toMatchObject({ status: "paused", pause_reason: null });
    expect(await listingRow(removed.id)).toMatchObject({ status: "removed", pause_reason: null });
    expect(await pausedEventsFor(merchantPaused.id)).toEqual([]);
  });
});

describe("stock", () => {
  it("selling out does not pause: the listing stays active, shows 售罄, and the shop's pages refresh", async () => {
    const { shop, listing, skuId } = await listedAt1400();
    const before = await catalogVersion(shop.merchantId);
    await handle(await changeSku(skuId, { stock: 0 }));
    const res = await call(`/api/merchant/listings/${listing.id}`, { session: shop });
    expect(await res.json()).toMatchObject({ status: "active", stockState: "sold_out", pauseReason: null });
    expect(await catalogVersion(shop.merchantId)).toBe((before ?? 0) + 1);
  });
});

describe("at-least-once, unordered delivery", () => {
  it("the same event delivered again has no second effect", async () => {
    const { shop, listing, skuId } = await listedAt1400();
    const event = await changeSku(skuId, { supplyPriceFen: 1300 });
    expect(await handle(event)).toBe(true);
    const version = await catalogVersion(shop.merchantId);
    expect(await handle(event)).toBe(false);
    const redelivered = await runQueue(EVENTS_QUEUE, [delivery(event, 2)]);
    expect(redelivered.retryMessages).toEqual([]);
    expect(await pausedEventsFor(listing.id)).toHaveLength(1);
    expect(await catalogVersion(shop.merchantId)).toBe(version);
  });

  it("an old raise that arrives after the price came back down pauses nothing: the current rows decide", async () => {
    const { listing, skuId } = await listedAt1400();
    const raised = await changeSku(skuId, { supplyPriceFen: 1300 });
    const lowered = await changeSku(skuId, { supplyPriceFen: 1200 });
    await handle(lowered);
    await handle(raised);
    expect((await listingRow(listing.id))?.status).toBe("active");
    expect(await pausedEventsFor(listing.id)).toEqual([]);
  });

  it("a second raise on an already paused listing emits no second pause", async () => {
    const { listing, skuId } = await listedAt1400();
    await handle(await changeSku(skuId, { supplyPriceFen: 1300 }));
    await handle(await changeSku(skuId, { supplyPriceFen: 1350 }));
    expect(await pausedEventsFor(listing.id)).toHaveLength(1);
  });
});

describe("the merchant hears about it", () => {
  it("the listing.paused event becomes a note in that shop's inbox with the reason", async () => {
    const { shop, listing, skuId } = await listedAt1400();
    await handle(await changeSku(skuId, { supplyPriceFen: 1300 }));
    const [paused] = await pausedEventsFor(listing.id);
    const event = {
      id: paused?.id,
      type: "listing.paused",
      occurredAtMs: Date.now(),
      payload: JSON.parse(paused?.payload ?? "{}"),
    };
    await runQueue(EVENTS_QUEUE, [delivery(event)]);
    expect(await notificationsFromEvent(paused?.id ?? "")).toEqual([
      { org_type: "merchant", org_id: shop.merchantId, title: "商品已自动下架" },
    ]);
  });

  it("end to end through the real queue: a supply raise pauses the listing and lands in the merchant's inbox", async () => {
    const { shop, listing, skuId } = await listedAt1400();
    const event = await changeSku(skuId, { supplyPriceFen: 1500 });
    await env.EVENTS_QUEUE.send(event, { contentType: "json" });
    await expect.poll(async () => (await listingRow(listing.id))?.status, { timeout: 15_000 }).toBe("paused");
    await relayOutbox(env);
    const reason = "供应价上调：SKU 红色/M 售价 ¥14.00 低于最低售价 ¥16.50";
    await expect
      .poll(async () => (await inbox("/api/merchant/notifications", shop)).map((note) => note.body), {
        timeout: 15_000,
      })
      .toContain(reason);
  });
});
