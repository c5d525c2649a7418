import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mirrorSkuStock } from "../../worker/modules/catalog/sku-service";
import { confirmAll, holdAll } from "../../worker/modules/inventory/service";
import { unique } from "../helpers";
import { d1Stock, skusWithStock, snapshotOf } from "./support";

describe("D1 follows the live counter in version order", () => {
  it("a figure from an older counter version landing late does not overwrite a newer one", async () => {
    const [sku = ""] = await skusWithStock(10);
    await mirrorSkuStock(env.DB, sku, 6, 5);
    await mirrorSkuStock(env.DB, sku, 8, 4);
    expect(await d1Stock(sku)).toBe(6);
    await mirrorSkuStock(env.DB, sku, 6, 5);
    expect(await d1Stock(sku)).toBe(6);
  });

  it("after many paid orders confirm at once, D1 shows what the counter has", async () => {
    const [sku = ""] = await skusWithStock(40);
    const groups = Array.from({ length: 12 }, () => unique("grp_"));
    for (const group of groups) {
      const held = await holdAll(env, group, [{ skuId: sku, qty: 3 }], 60_000);
      expect(held.ok).toBe(true);
    }
    await Promise.all(groups.map((group) => confirmAll(env, group, [sku])));
    const snapshot = await snapshotOf(sku);
    expect(snapshot.onHand).toBe(4);
    expect(await d1Stock(sku)).toBe(4);
  });
});
