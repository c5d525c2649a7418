import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makeEvent } from "../../worker/events/outbox";
import { guardrailEffects } from "../../worker/modules/listings/subscriber";
import { platformAdmin } from "../helpers";
import { deadLetter, delivery, EVENTS_QUEUE, runQueue } from "../support/events";
import {
  approvedPoolSupplier,
  changeSku,
  insertCategory,
  insertProduct,
  listingRow,
  type PoolSupplier,
  pick,
} from "../support/pool";
import { openShop } from "../support/tenants";

let supplier: PoolSupplier;
let categoryId: string;

beforeAll(async () => {
  supplier = await approvedPoolSupplier(await platformAdmin());
  categoryId = (await insertCategory("宠物")).id;
});

describe("events the auto-pause cannot act on", () => {
  it("an event about a product that does not exist is acknowledged and writes nothing", async () => {
    const event = makeEvent("product.status_changed", {
      productId: "prd_ghost",
      supplierId: supplier.supplierId,
      from: "listed",
      to: "delisted",
    });
    const result = await runQueue(EVENTS_QUEUE, [delivery(event)]);
    expect(result.retryMessages).toEqual([]);
    expect(await deadLetter(event.id)).toBeNull();
    expect(await guardrailEffects(env.DB, "prd_ghost", Date.now())).toEqual([]);
  });

  it("a product nobody listed needs no writes at all", async () => {
    const { productId } = await insertProduct({
      supplierId: supplier.supplierId,
      categoryId,
      titleZh: "猫砂",
      skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
    });
    expect(await guardrailEffects(env.DB, productId, Date.now())).toEqual([]);
  });

  it("a SKU the supplier disabled no longer holds the listing to its floor", async () => {
    const shop = await openShop();
    const product = await insertProduct({
      supplierId: supplier.supplierId,
      categoryId,
      titleZh: "狗粮",
      skus: [
        { supplyPriceFen: 1000, suggestedRetailFen: 2000 },
        { supplyPriceFen: 1000, suggestedRetailFen: 2000 },
      ],
    });
    const listing = await pick(shop, product, [1200, 1200]);
    await changeSku(product.skuIds[1] ?? "", { supplyPriceFen: 5000, status: "disabled" });
    const event = await changeSku(product.skuIds[0] ?? "", { stock: 3 });
    const result = await runQueue(EVENTS_QUEUE, [delivery(event)]);
    expect(result.retryMessages).toEqual([]);
    expect((await listingRow(listing.id))?.status).toBe("active");
  });
});
