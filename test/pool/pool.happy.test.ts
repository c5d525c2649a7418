import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session } from "../helpers";
import {
  approvedPoolSupplier,
  type CategoryRef,
  insertCategory,
  insertProduct,
  type PoolSupplier,
  type ProductSpec,
  pick,
  searchToken,
  setGrade,
} from "../support/pool";
import { applyAsSupplier, bearer, createKey, openShop } from "../support/tenants";

interface PoolItem {
  productId: string;
  titleZh: string;
  titleEn: string | null;
  category: { id: string; nameZh: string; nameEn: string } | null;
  supplier: { id: string; name: string; grade: "A" | "B" | "C" | null };
  supplyFen: { minFen: number; maxFen: number };
  suggestedRetailFen: { minFen: number; maxFen: number };
  marginBps: number;
  stockTotal: number;
  salesCount: number;
  imageUrl: string | null;
  pickedListingId: string | null;
}

interface PoolPage {
  items: PoolItem[];
  nextCursor: string | null;
}

let admin: Session;
let graded: PoolSupplier;
let unrated: PoolSupplier;
let shop: MerchantTenant;
let category: CategoryRef;

beforeAll(async () => {
  admin = await platformAdmin();
  [graded, unrated, shop] = await Promise.all([approvedPoolSupplier(admin), approvedPoolSupplier(admin), openShop()]);
  await setGrade(graded.supplierId, "A");
  category = await insertCategory("美妆");
});

function product(token: string, overrides: Partial<ProductSpec> = {}): ProductSpec {
  return {
    supplierId: graded.supplierId,
    categoryId: category.id,
    titleZh: `商品 ${token}`,
    skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
    ...overrides,
  };
}

async function browse(query: Record<string, string | number>, session: Session = shop): Promise<PoolPage> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await call(`/api/merchant/pool?${params}`, { session });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<PoolPage>();
}

async function ids(query: Record<string, string | number>): Promise<string[]> {
  return (await browse(query)).items.map((item) => item.productId);
}

describe("what a merchant sees in the pool", () => {
  it("a listed product shows its supplier and grade, supply and retail ranges, best margin, stock and first image", async () => {
    const token = searchToken();
    const { productId } = await insertProduct(
      product(token, {
        titleEn: "Serum",
        imageKey: "placeholder/200/精华.svg",
        skus: [
          { supplyPriceFen: 1200, suggestedRetailFen: 2000, stock: 5 },
          { supplyPriceFen: 1500, suggestedRetailFen: 3000, stock: 7 },
        ],
      }),
    );
    const [item] = (await browse({ q: token })).items;
    expect(item).toEqual({
      productId,
      titleZh: `商品 ${token}`,
      titleEn: "Serum",
      category: { id: category.id, nameZh: "美妆", nameEn: "美妆 (en)" },
      supplier: { id: graded.supplierId, name: graded.name, grade: "A" },
      supplyFen: { minFen: 1200, maxFen: 1500 },
      suggestedRetailFen: { minFen: 2000, maxFen: 3000 },
      marginBps: 5000,
      stockTotal: 12,
      salesCount: 0,
      createdAtMs: expect.any(Number),
      imageUrl: "/api/media/placeholder/200/%E7%B2%BE%E5%8D%8E.svg",
      pickedListingId: null,
    });
  });

  it("drafts, delisted products, unapproved suppliers' products and products without an active SKU stay out", async () => {
    const token = searchToken();
    const pending = await applyAsSupplier();
    const inPool = await insertProduct(product(token));
    await Promise.all([
      insertProduct(product(token, { status: "draft" })),
      insertProduct(product(token, { status: "delisted" })),
      insertProduct(product(token, { supplierId: pending.supplierId })),
      insertProduct(product(token, { skus: [{ supplyPriceFen: 100, suggestedRetailFen: 200, status: "disabled" }] })),
    ]);
    expect(await ids({ q: token })).toEqual([inPool.productId]);
  });

  it("a disabled SKU does not count toward the ranges, the margin or the stock", async () => {
    const token = searchToken();
    await insertProduct(
      product(token, {
        skus: [
          { supplyPriceFen: 1000, suggestedRetailFen: 1500, stock: 3 },
          { supplyPriceFen: 10, suggestedRetailFen: 9000, stock: 50, status: "disabled" },
        ],
      }),
    );
    const [item] = (await browse({ q: token })).items;
    expect(item?.supplyFen).toEqual({ minFen: 1000, maxFen: 1000 });
    expect(item?.marginBps).toBe(3333);
    expect(item?.stockTotal).toBe(3);
  });
});

describe("searching and filtering", () => {
  it("searching 面膜 finds 补水面膜, and not a product without that word", async () => {
    const token = searchToken();
    const mask = await insertProduct(product(token, { titleZh: `玻尿酸补水面膜 ${token}` }));
    const cream = await insertProduct(product(token, { titleZh: `保湿面霜 ${token}` }));
    const found = await ids({ q: "面膜", limit: 50 });
    expect(found).toContain(mask.productId);
    expect(found).not.toContain(cream.productId);
    expect(await ids({ q: `补水面膜 ${token}` })).toEqual([mask.productId]);
  });

  it("a category filter covers the category and everything under it, but not its siblings", async () => {
    const token = searchToken();
    const top = await insertCategory("食品");
    const child = await insertCategory("水果", top);
    const grandchild = await insertCategory("苹果", child);
    const sibling = await insertCategory("饮料", top);
    const inChild = await insertProduct(product(token, { categoryId: child.id }));
    const inGrandchild = await insertProduct(product(token, { categoryId: grandchild.id }));
    const inSibling = await insertProduct(product(token, { categoryId: sibling.id }));
    expect((await ids({ q: token, categoryId: top.id })).sort()).toEqual(
      [inChild.productId, inGrandchild.productId, inSibling.productId].sort(),
    );
    expect((await ids({ q: token, categoryId: child.id })).sort()).toEqual(
      [inChild.productId, inGrandchild.productId].sort(),
    );
    expect(await ids({ q: token, categoryId: grandchild.id })).toEqual([inGrandchild.productId]);
  });

  it("supply price bounds apply to each product's lowest active SKU supply price", async () => {
    const token = searchToken();
    const wide = await insertProduct(
      product(token, {
        skus: [
          { supplyPriceFen: 1000, suggestedRetailFen: 2000 },
          { supplyPriceFen: 5000, suggestedRetailFen: 9000 },
        ],
      }),
    );
    const cheap = await insertProduct(product(token, { skus: [{ supplyPriceFen: 300, suggestedRetailFen: 600 }] }));
    expect(await ids({ q: token, minSupplyFen: 1000 })).toEqual([wide.productId]);
    expect(await ids({ q: token, minSupplyFen: 1001 })).toEqual([]);
    expect(await ids({ q: token, maxSupplyFen: 999 })).toEqual([cheap.productId]);
    expect((await ids({ q: token, minSupplyFen: 300, maxSupplyFen: 1000 })).sort()).toEqual(
      [wide.productId, cheap.productId].sort(),
    );
  });

  it("a grade filter keeps that grade and leaves unrated suppliers out", async () => {
    const token = searchToken();
    const fromA = await insertProduct(product(token));
    const fromUnrated = await insertProduct(product(token, { supplierId: unrated.supplierId }));
    expect(await ids({ q: token, grade: "A" })).toEqual([fromA.productId]);
    expect(await ids({ q: token, grade: "B" })).toEqual([]);
    expect((await ids({ q: token })).sort()).toEqual([fromA.productId, fromUnrated.productId].sort());
    const [unratedItem] = (await browse({ q: token, sort: "newest" })).items.filter(
      (item) => item.productId === fromUnrated.productId,
    );
    expect(unratedItem?.supplier.grade).toBeNull();
  });

  it("a minimum margin keeps products whose best SKU reaches it", async () => {
    const token = searchToken();
    const rich = await insertProduct(
      product(token, {
        skus: [
          { supplyPriceFen: 900, suggestedRetailFen: 1000 },
          { supplyPriceFen: 1000, suggestedRetailFen: 2000 },
        ],
      }),
    );
    const thin = await insertProduct(product(token, { skus: [{ supplyPriceFen: 900, suggestedRetailFen: 1000 }] }));
    expect(await ids({ q: token, minMarginBps: 5000 })).toEqual([rich.productId]);
    expect((await ids({ q: token, minMarginBps: 1000 })).sort()).toEqual([rich.productId, thin.productId].sort());
    expect(await ids({ q: token, minMarginBps: 5001 })).toEqual([]);
  });
});

describe("sorting and paging", () => {
  it("newest first by default; margin and sales sort by those, highest first", async () => {
    const token = searchToken();
    const base = Date.now() - 100_000;
    const old = await insertProduct(
      product(token, { createdAtMs: base, salesCount: 50, skus: [{ supplyPriceFen: 500, suggestedRetailFen: 1000 }] }),
    );
    const mid = await insertProduct(
      product(token, {
        createdAtMs: base + 10,
        salesCount: 5,
        skus: [{ supplyPriceFen: 100, suggestedRetailFen: 1000 }],
      }),
    );
    const recent = await insertProduct(
      product(token, {
        createdAtMs: base + 20,
        salesCount: 20,
        skus: [{ supplyPriceFen: 800, suggestedRetailFen: 1000 }],
      }),
    );
    expect(await ids({ q: token })).toEqual([recent.productId, mid.productId, old.productId]);
    expect(await ids({ q: token, sort: "margin" })).toEqual([mid.productId, old.productId, recent.productId]);
    expect(await ids({ q: token, sort: "sales" })).toEqual([old.productId, recent.productId, mid.productId]);
  });

  it("following nextCursor walks every product exactly once, in order, and the last page has no cursor", async () => {
    const token = searchToken();
    const made: string[] = [];
    // Equal sales counts: ties must still page without gaps or repeats.
    for (let i = 0; i < 5; i++) made.push((await insertProduct(product(token, { salesCount: 7 }))).productId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { q: token, sort: "sales", limit: 2 };
      if (cursor) query.cursor = cursor;
      const page = await browse(query);
      seen.push(...page.items.map((item) => item.productId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual([...made].sort());
  });
});

describe("one product and what the merchant already picked", () => {
  it("the product page lists each active SKU with options, prices, MAP, stock and this shop's floor", async () => {
    const token = searchToken();
    const { productId, skuIds } = await insertProduct(
      product(token, {
        skus: [
          {
            code: "A-RED-M",
            options: { 颜色: "红色", 尺码: "M" },
            supplyPriceFen: 1200,
            suggestedRetailFen: 1990,
            stock: 4,
          },
          {
            code: "A-BLUE-M",
            options: { 颜色: "蓝色", 尺码: "M" },
            supplyPriceFen: 1001,
            suggestedRetailFen: 1990,
            mapFen: 1500,
          },
          { code: "A-OLD", supplyPriceFen: 1, suggestedRetailFen: 2, status: "disabled" },
        ],
      }),
    );
    const res = await call(`/api/merchant/pool/${productId}`, { session: shop });
    expect(res.status).toBe(200);
    const body = await res.json<PoolItem & { minMarginBps: number; descriptionZh: string; skus: unknown[] }>();
    expect(body.productId).toBe(productId);
    expect(body.minMarginBps).toBe(1000);
    expect(body.descriptionZh).toContain(token);
    expect(body.skus).toEqual([
      {
        id: skuIds[1],
        code: "A-BLUE-M",
        label: "蓝色/M",
        options: { 颜色: "蓝色", 尺码: "M" },
        supplyPriceFen: 1001,
        suggestedRetailFen: 1990,
        mapFen: 1500,
        stock: 100,
        floorFen: 1500,
      },
      {
        id: skuIds[0],
        code: "A-RED-M",
        label: "红色/M",
        options: { 颜色: "红色", 尺码: "M" },
        supplyPriceFen: 1200,
        suggestedRetailFen: 1990,
        mapFen: null,
        stock: 4,
        floorFen: 1320,
      },
    ]);
  });

  it("after picking a product, the pool shows it with the shop's listing id", async () => {
    const token = searchToken();
    const inserted = await insertProduct(product(token));
    const listing = await pick(shop, inserted, [1100]);
    const [item] = (await browse({ q: token })).items;
    expect(item?.pickedListingId).toBe(listing.id);
    const detail = await call(`/api/merchant/pool/${inserted.productId}`, { session: shop });
    expect((await detail.json<PoolItem>()).pickedListingId).toBe(listing.id);
  });

  it("an integration browses the pool with a merchant API key", async () => {
    const token = searchToken();
    const inserted = await insertProduct(product(token));
    const key = await createKey(shop, "merchant");
    const res = await call(`/api/merchant/pool?q=${token}`, { headers: bearer(key.secret) });
    expect(res.status).toBe(200);
    expect((await res.json<PoolPage>()).items.map((item) => item.productId)).toEqual([inserted.productId]);
  });
});
