import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { deliver } from "../../worker/events/consumer";
import { listingGuardrailSubscriber } from "../../worker/modules/listings/subscriber";
import { type MerchantTenant, platformAdmin } from "../helpers";
import { delivery, EVENTS_QUEUE, notificationsFromEvent, runQueue } from "../support/events";
import {
  approvedPoolSupplier,
  catalogVersion,
  changeSku,
  insertCategory,
  insertProduct,
  listingRow,
  type PoolSupplier,
  pausedEventsFor,
  pick,
} from "../support/pool";
import { openShop } from "../support/tenants";

let supplier: PoolSupplier;
let categoryId: string;
let shopA: MerchantTenant;
let shopB: MerchantTenant;

beforeAll(async () => {
  [supplier, shopA, shopB] = await Promise.all([platformAdmin().then(approvedPoolSupplier), openShop(), openShop()]);
  categoryId = (await insertCategory("户外")).id;
});

function product(titleZh: string) {
  return insertProduct({
    supplierId: supplier.supplierId,
    categoryId,
    titleZh,
    skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
  });
}

describe("an auto-pause stays with the product and the shop it concerns", () => {
  it("a raise on one product leaves listings of the supplier's other products, and shops not listing it, untouched", async () => {
    const tent = await product("帐篷");
    const lamp = await product("营地灯");
    const tentA = await pick(shopA, tent, [1200]);
    const lampA = await pick(shopA, lamp, [1200]);
    const lampB = await pick(shopB, lamp, [1200]);
    const versionB = await catalogVersion(shopB.merchantId);
    await deliver(env, listingGuardrailSubscriber, await changeSku(tent.skuIds[0] ?? "", { supplyPriceFen: 1500 }));
    expect((await listingRow(tentA.id))?.status).toBe("paused");
    expect((await listingRow(lampA.id))?.status).toBe("active");
    expect((await listingRow(lampB.id))?.status).toBe("active");
    expect(await catalogVersion(shopB.merchantId)).toBe(versionB);
  });

  it("the pause note goes to the shop whose listing paused, not to the other shop listing the same product", async () => {
    const stove = await product("炉具");
    const stoveA = await pick(shopA, stove, [1150]);
    const stoveB = await pick(shopB, stove, [1900]);
    await deliver(env, listingGuardrailSubscriber, await changeSku(stove.skuIds[0] ?? "", { supplyPriceFen: 1100 }));
    expect((await listingRow(stoveB.id))?.status).toBe("active");
    const [paused] = await pausedEventsFor(stoveA.id);
    expect(await pausedEventsFor(stoveB.id)).toEqual([]);
    const payload = JSON.parse(paused?.payload ?? "{}");
    await runQueue(EVENTS_QUEUE, [
      delivery({ id: paused?.id, type: "listing.paused", occurredAtMs: Date.now(), payload }),
    ]);
    expect(await notificationsFromEvent(paused?.id ?? "")).toEqual([
      { org_type: "merchant", org_id: shopA.merchantId, title: "商品已自动下架" },
    ]);
  });
});
