import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin } from "../helpers";
import { approvedPoolSupplier, insertCategory, insertProduct, type PoolSupplier, searchToken } from "../support/pool";
import { expectCode } from "../support/problems";
import { openShop } from "../support/tenants";

let shop: MerchantTenant;
let supplier: PoolSupplier;
let categoryId: string;

beforeAll(async () => {
  [shop, supplier] = await Promise.all([openShop(), platformAdmin().then(approvedPoolSupplier)]);
  categoryId = (await insertCategory("家居")).id;
});

function browse(query: string): Promise<Response> {
  return call(`/api/merchant/pool?${query}`, { session: shop });
}

describe("bad pool queries are refused with 400 validation_failed", () => {
  it.each([
    ["limit=51", "limit"],
    ["limit=0", "limit"],
    ["sort=price", "sort"],
    ["grade=D", "grade"],
    ["minSupplyFen=abc", "minSupplyFen"],
    ["maxSupplyFen=-1", "maxSupplyFen"],
    ["minSupplyFen=1.5", "minSupplyFen"],
    ["minMarginBps=10001", "minMarginBps"],
    [`q=${"长".repeat(101)}`, "q"],
  ])("?%s names %s in its issues", async (query, path) => {
    const problem = await expectCode(await browse(query), 400, "validation_failed");
    expect(problem.issues?.map((issue) => issue.path)).toContain(path);
  });

  it("a cursor that was never handed out is 400, not a 500", async () => {
    await expectCode(await browse("cursor=not-a-cursor"), 400, "validation_failed");
    await expectCode(await browse(`cursor=${btoa('{"s":"newest","k":"x","id":1}')}`), 400, "validation_failed");
  });

  it("a cursor from one sort cannot be used with another", async () => {
    const token = searchToken();
    for (let i = 0; i < 3; i++) {
      await insertProduct({
        supplierId: supplier.supplierId,
        categoryId,
        titleZh: `杯子 ${token}`,
        skus: [{ supplyPriceFen: 100, suggestedRetailFen: 200 }],
      });
    }
    const first = await browse(`q=${token}&sort=sales&limit=1`);
    const { nextCursor } = await first.json<{ nextCursor: string | null }>();
    expect(nextCursor).toEqual(expect.any(String));
    await expectCode(await browse(`q=${token}&sort=margin&cursor=${nextCursor}`), 400, "validation_failed");
  });
});

describe("queries that are valid but match nothing", () => {
  it("search text with nothing searchable in it finds nothing", async () => {
    const res = await browse(`q=${encodeURIComponent("!!! ???")}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
  });

  it("FTS syntax in the search box is treated as words, not as a query language", async () => {
    const res = await browse(`q=${encodeURIComponent('"面膜" OR NEAR(a b) *')}`);
    expect(res.status).toBe(200);
  });

  it("an unknown category gives an empty page", async () => {
    const res = await browse("categoryId=cat_doesnotexist");
    expect(res.status).toBe(200);
    expect((await res.json<{ items: unknown[] }>()).items).toEqual([]);
  });
});

describe("one pool product", () => {
  it("an unknown product is 404 not_found", async () => {
    await expectCode(await call("/api/merchant/pool/prd_unknown1", { session: shop }), 404, "not_found");
  });

  it("a product id that is not a prd_ id is 400", async () => {
    await expectCode(await call("/api/merchant/pool/sku_123", { session: shop }), 400, "validation_failed");
  });

  it("a draft product is not in the pool: 404", async () => {
    const { productId } = await insertProduct({
      supplierId: supplier.supplierId,
      categoryId,
      titleZh: "草稿商品",
      status: "draft",
      skus: [{ supplyPriceFen: 100, suggestedRetailFen: 200 }],
    });
    await expectCode(await call(`/api/merchant/pool/${productId}`, { session: shop }), 404, "not_found");
  });
});
