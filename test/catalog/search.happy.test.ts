import { beforeAll, describe, expect, it } from "vitest";
import { call, type SupplierTenant } from "../helpers";
import { approvedSupplierAs, categoryChain, createProductAs, searchIds } from "../support/catalog";

let supplier: SupplierTenant;
let maskId: string;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
  const { leafId } = await categoryChain(["美妆个护", "面部护理", "精华液"]);
  maskId = (
    await createProductAs(supplier, {
      categoryId: leafId,
      titleZh: "玻尿酸补水面膜",
      titleEn: "Hyaluronic Hydrating Mask",
      descriptionZh: "深层滋润，清爽不黏腻。",
      attributes: [{ name: "规格", values: ["5片装", "10片装"] }],
    })
  ).productId;
});

describe("finding a product through the FTS index", () => {
  it.each(["面膜", "补水面膜", "玻尿酸", "补水"])("“%s” finds 玻尿酸补水面膜", async (query) => {
    expect(await searchIds(query)).toContain(maskId);
  });

  it("“面霜” does not find it (面 alone matches, but 面霜 is not a bigram of the title)", async () => {
    expect(await searchIds("面霜")).not.toContain(maskId);
  });

  it("the English title, description, category name and attribute values are indexed too", async () => {
    for (const query of ["hydrating", "mask", "滋润", "精华液", "10片装"]) {
      expect(await searchIds(query), query).toContain(maskId);
    }
  });

  it("after a title change the old words no longer find it and the new ones do", async () => {
    const { productId } = await createProductAs(supplier, { titleZh: "保湿洗面奶" });
    expect(await searchIds("洗面奶")).toContain(productId);
    const res = await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { titleZh: "控油爽肤水" },
    });
    expect(res.status).toBe(200);
    expect(await searchIds("洗面奶")).not.toContain(productId);
    expect(await searchIds("爽肤水")).toContain(productId);
  });
});
