import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliver } from "../../worker/events/consumer";
import { makeEvent } from "../../worker/events/outbox";
import { subscribers } from "../../worker/events/subscribers";
import { confirmAll, holdAll } from "../../worker/modules/inventory/service";
import { inventorySyncSubscriber } from "../../worker/modules/inventory/subscriber";
import { unique } from "../helpers";
import { changeSku } from "../support/pool";
import { d1Stock, skusWithStock, snapshotOf } from "./support";

function stockEvent(skuId: string, stock: number, previousStock: number, occurredAtMs: number) {
  return makeEvent(
    "sku.supply_changed",
    {
      skuId,
      productId: "prd_x",
      supplierId: "sup_x",
      supplyPriceFen: 1000,
      previousSupplyPriceFen: 1000,
      mapFen: null,
      stock,
      previousStock,
    },
    occurredAtMs,
  );
}

describe("inventory-sync", () => {
  it("is registered for sku.supply_changed", () => {
    expect(subscribers).toContain(inventorySyncSubscriber);
    expect(inventorySyncSubscriber.types).toEqual(["sku.supply_changed"]);
  });

  it("a supplier's new stock sets the counter, and a redelivery has no second effect", async () => {
    const [a = ""] = await skusWithStock(5);
    const event = await changeSku(a, { stock: 12 });
    expect(await deliver(env, inventorySyncSubscriber, event)).toBe(true);
    expect(await snapshotOf(a)).toMatchObject({ initialised: true, onHand: 12, stockAsOfMs: event.occurredAtMs });
    expect(await deliver(env, inventorySyncSubscriber, event)).toBe(false);
    expect(await env.INVENTORY.getByName(a).setStock(event.id, 12, event.occurredAtMs)).toMatchObject({ onHand: 12 });
    expect(await d1Stock(a)).toBe(12);
  });

  it("an older event arriving late is ignored, and D1 shows the counter's figure", async () => {
    const [a = ""] = await skusWithStock(5);
    const now = Date.now();
    expect(await deliver(env, inventorySyncSubscriber, stockEvent(a, 30, 20, now))).toBe(true);
    expect(await deliver(env, inventorySyncSubscriber, stockEvent(a, 20, 5, now - 1_000))).toBe(true);
    expect(await snapshotOf(a)).toMatchObject({ onHand: 30, stockAsOfMs: now });
    expect(await d1Stock(a)).toBe(30);
  });

  it("a price-only change leaves the counter alone (D1's figure may lag sales)", async () => {
    const [a = ""] = await skusWithStock(5);
    const group = unique("chk_");
    await holdAll(env, group, [{ skuId: a, qty: 2 }], 60_000);
    await confirmAll(env, group, [a]);
    await env.DB.prepare("UPDATE skus SET stock = 5 WHERE id = ?").bind(a).run();
    const event = await changeSku(a, { supplyPriceFen: 1100 });
    expect(event.payload).toMatchObject({ stock: 5, previousStock: 5 });
    await deliver(env, inventorySyncSubscriber, event);
    expect(await snapshotOf(a)).toMatchObject({ onHand: 3 });
  });

  it("a supplier count taken before a sale was confirmed does not give the sold units back", async () => {
    const [a = ""] = await skusWithStock(10);
    const group = unique("chk_");
    await holdAll(env, group, [{ skuId: a, qty: 4 }], 60_000);
    const countedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await confirmAll(env, group, [a]);
    await deliver(env, inventorySyncSubscriber, stockEvent(a, 20, 10, countedAt));
    expect(await snapshotOf(a)).toMatchObject({ onHand: 16 });
    expect(await d1Stock(a)).toBe(16);
  });
});
