/**
 * @module inventory/subscriber: a supplier's new stock count reaches the SKU's live counter. The counter applies it
 * once per event id and ignores counts older than the one it has; D1 then shows the counter's on-hand figure, which
 * also repairs D1 when the event was stale.
 */
import type { Effects, Subscriber } from "../../events/consumer";
import { mirrorSkuStock } from "../catalog/sku-service";

export const inventorySyncSubscriber: Subscriber = {
  name: "inventory-sync",
  types: ["sku.supply_changed"],
  async handle(event, env): Promise<Effects> {
    if (event.type !== "sku.supply_changed") return [];
    const { skuId, stock, previousStock } = event.payload;
    // A price-only change carries D1's stock figure, which may lag the counter: applying it would undo sales.
    if (stock === previousStock) return [];
    const result = await env.INVENTORY.getByName(skuId).setStock(event.id, Math.max(0, stock), event.occurredAtMs);
    return [mirrorSkuStock(env.DB, skuId, result.onHand, result.version)];
  },
};
