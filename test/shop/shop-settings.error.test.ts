import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin } from "../helpers";
import { approvedPoolSupplier, insertCategory, insertProduct, pick } from "../support/pool";
import { expectCode } from "../support/problems";
import { openShop } from "../support/tenants";

let shop: MerchantTenant;

beforeAll(async () => {
  shop = await openShop();
});

function save(body: unknown): Promise<Response> {
  return call("/api/merchant/shop-settings", { method: "PUT", session: shop, body });
}

const banner = (extra: Record<string, unknown> = {}) => ({ type: "banner", title: "横幅", ...extra });

describe("settings that are refused with 400 validation_failed", () => {
  it.each([
    ["an unknown template", { template: "luxury", homeSections: [] }],
    ["a margin above 90 %", { template: "general", minMarginBps: 9001, homeSections: [] }],
    ["a negative margin", { template: "general", minMarginBps: -1, homeSections: [] }],
    ["a fractional margin", { template: "general", minMarginBps: 10.5, homeSections: [] }],
    ["a margin sent as text", { template: "general", minMarginBps: "1000", homeSections: [] }],
    ["no sections list", { template: "general" }],
    ["thirteen sections", { template: "general", homeSections: Array.from({ length: 13 }, () => banner()) }],
    ["an unknown section type", { template: "general", homeSections: [{ type: "video", title: "x" }] }],
    ["a section without a title", { template: "general", homeSections: [{ type: "recommendations" }] }],
    ["an unknown field on a section", { template: "general", homeSections: [banner({ color: "red" })] }],
    ["a javascript: link", { template: "general", homeSections: [banner({ link: "javascript:alert(1)" })] }],
    ["a protocol-relative link", { template: "general", homeSections: [banner({ link: "//evil.example/x" })] }],
    ["a plain http link", { template: "general", homeSections: [banner({ link: "http://example.com" })] }],
    ["an image key climbing out", { template: "general", homeSections: [banner({ imageKey: "p/../../secret" })] }],
    [
      "an empty collection",
      { template: "general", homeSections: [{ type: "collection", title: "空", listingIds: [] }] },
    ],
    [
      "a collection naming one listing twice",
      {
        template: "general",
        homeSections: [{ type: "collection", title: "重复", listingIds: ["lst_a1", "lst_a1"] }],
      },
    ],
    ["an unknown top-level field", { template: "general", homeSections: [], theme: "dark" }],
  ])("%s", async (_name, body) => {
    await expectCode(await save(body), 400, "validation_failed");
  });

  it("a collection naming a listing the shop does not have is 400 unknown_listing, pointing at it", async () => {
    const problem = await expectCode(
      await save({
        template: "general",
        homeSections: [banner(), { type: "collection", title: "推荐", listingIds: ["lst_nothere"] }],
      }),
      400,
      "validation_failed",
    );
    expect(problem.issues).toEqual([
      { path: "homeSections.1.listingIds.0", code: "unknown_listing", message: "No listing lst_nothere in this shop" },
    ]);
  });

  it("a removed listing cannot be featured in a collection", async () => {
    const supplier = await approvedPoolSupplier(await platformAdmin());
    const { id } = await insertCategory("茶");
    const product = await insertProduct({
      supplierId: supplier.supplierId,
      categoryId: id,
      titleZh: "绿茶",
      skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
    });
    const listing = await pick(shop, product, [1500]);
    await call(`/api/merchant/listings/${listing.id}`, { method: "DELETE", session: shop });
    const problem = await expectCode(
      await save({
        template: "general",
        homeSections: [{ type: "collection", title: "推荐", listingIds: [listing.id] }],
      }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.[0]?.code).toBe("unknown_listing");
  });

  it("a refused save changes nothing", async () => {
    const before = await (await call("/api/merchant/shop-settings", { session: shop })).json();
    await save({ template: "luxury", homeSections: [] });
    expect(await (await call("/api/merchant/shop-settings", { session: shop })).json()).toEqual(before);
  });
});
