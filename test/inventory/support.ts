/**
 * Inventory test helpers: SKUs written straight into D1 (the counter seeds itself from them) and D1's stock figure.
 */
import { env } from "cloudflare:workers";
import { newId } from "../../worker/lib/crypto";
import { insertProduct } from "../support/pool";

/** SKUs with the given D1 stock, in one product of a made-up supplier (no supplier rules are involved here). */
export async function skusWithStock(...stocks: number[]): Promise<string[]> {
  const product = await insertProduct({
    supplierId: newId("sup"),
    categoryId: newId("cat"),
    titleZh: "库存测试商品",
    skus: stocks.map((stock) => ({ supplyPriceFen: 1000, suggestedRetailFen: 1990, stock })),
  });
  return product.skuIds;
}

export async function d1Stock(skuId: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT stock FROM skus WHERE id = ?").bind(skuId).first<{ stock: number }>();
  return row?.stock ?? null;
}

export function snapshotOf(skuId: string) {
  return env.INVENTORY.getByName(skuId).snapshot();
}
