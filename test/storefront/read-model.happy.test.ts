import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { categoryPage, productPage, searchShop, shopHome } from "../../worker/modules/storefront/service";
import { insertListing, insertProduct, insertSupplier, putShopSettings, setStock } from "../support/storefront";
import { buildWorld, type World } from "./world";

let w: World;

beforeAll(async () => {
  w = await buildWorld();
});

const titles = (cards: { title: { zh: string } }[]) => cards.map((card) => card.title.zh);

describe("shop home", () => {
  it("shows the shop's sellable products, newest first, and the top-level categories that have products", async () => {
    const home = await shopHome(env.DB, w.shopA);
    expect(titles(home.newest)).toEqual(["纯棉洗脸巾", "氨基酸保湿洁面乳", "补水面膜 10片装"]);
    expect(home.categories).toEqual([{ id: w.beauty.id, name: { zh: "美妆护肤", en: "Beauty" }, productCount: 3 }]);
    expect(home.template).toBe("general");
    expect(home.sections).toEqual([]);
  });

  it("resolves banner, collection and recommendation sections; unsellable ids and broken sections drop out", async () => {
    await putShopSettings(w.shopA, [
      {
        type: "banner",
        title: "开学季",
        subtitle: "全场包邮",
        imageKey: "placeholder/10/开学季.svg",
        link: "/search?q=面膜",
      },
      { type: "banner", title: "坏链接", link: "javascript:alert(1)" },
      { type: "collection", title: "店长推荐", listingIds: [w.listings.towelA, w.listings.appleA, w.listings.maskA] },
      { type: "collection", title: "别人的", listingIds: [w.listings.brushB] },
      { type: "nonsense" },
      { type: "recommendations", title: "猜你喜欢" },
    ]);
    const home = await shopHome(env.DB, w.shopA);
    const [banner, badBanner, picks, foreign, recommended] = home.sections;
    expect(banner).toMatchObject({ type: "banner", title: "开学季", subtitle: "全场包邮", link: "/search?q=面膜" });
    expect(banner?.type === "banner" && banner.image?.url).toMatch(/^\/api\/media\/placeholder\/10\//);
    expect(badBanner).toMatchObject({ type: "banner", link: null });
    expect(picks?.type === "collection" && titles(picks.products)).toEqual(["纯棉洗脸巾", "补水面膜 10片装"]);
    expect(foreign?.type === "collection" && foreign.products).toEqual([]);
    expect(recommended?.type === "recommendations" && titles(recommended.products)).toEqual(titles(home.newest));
    expect(home.sections).toHaveLength(5);
  });

  it("treats malformed settings JSON as no sections", async () => {
    await putShopSettings(w.shopB, "{not json");
    const home = await shopHome(env.DB, w.shopB);
    expect(home.sections).toEqual([]);
    expect(titles(home.newest)).toEqual(["硅胶面膜刷", "补水面膜 10片装"]);
  });
});

describe("category page", () => {
  it("lists the whole subtree with the child categories that have products", async () => {
    const page = await categoryPage(env.DB, w.shopA, w.beauty.id);
    expect(page?.category.name.zh).toBe("美妆护肤");
    expect(page?.breadcrumb.map((c) => c.id)).toEqual([w.beauty.id]);
    expect(page?.children.map((c) => [c.name.zh, c.productCount])).toEqual([["面部护理", 3]]);
    expect(titles(page?.products ?? []).sort()).toEqual(["氨基酸保湿洁面乳", "纯棉洗脸巾", "补水面膜 10片装"].sort());
  });

  it("sorts by price and by sales", async () => {
    const cheap = await categoryPage(env.DB, w.shopA, w.beauty.id, { sort: "price_asc" });
    expect(cheap?.products.map((p) => p.minPriceFen)).toEqual([1990, 3990, 5990]);
    const dear = await categoryPage(env.DB, w.shopA, w.beauty.id, { sort: "price_desc" });
    expect(dear?.products.map((p) => p.minPriceFen)).toEqual([5990, 3990, 1990]);
    const popular = await categoryPage(env.DB, w.shopA, w.beauty.id, { sort: "sales" });
    expect(titles(popular?.products ?? [])).toEqual(["氨基酸保湿洁面乳", "补水面膜 10片装", "纯棉洗脸巾"]);
    const unknownSort = await categoryPage(env.DB, w.shopA, w.beauty.id, { sort: "DROP TABLE" });
    expect(unknownSort?.sort).toBe("newest");
  });

  it("pages with a cursor until every product was shown once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page = await categoryPage(env.DB, w.shopA, w.beauty.id, { sort: "price_asc", cursor, pageSize: 2 });
      seen.push(...titles(page?.products ?? []));
      cursor = page?.nextCursor ?? null;
      if (!cursor) break;
    }
    expect(seen).toEqual(["纯棉洗脸巾", "氨基酸保湿洁面乳", "补水面膜 10片装"]);
  });

  it("is undefined for a category that does not exist, and empty for one without products here", async () => {
    expect(await categoryPage(env.DB, w.shopA, "cat_nope")).toBeUndefined();
    const food = await categoryPage(env.DB, w.shopA, w.food.id);
    expect(food?.products).toEqual([]);
    expect(food?.nextCursor).toBeNull();
  });
});

describe("search", () => {
  it("finds Chinese substrings of titles: 面膜 finds 补水面膜, 水面 too", async () => {
    const result = await searchShop(env.DB, w.shopA, "面膜");
    expect(titles(result.products)).toEqual(["补水面膜 10片装"]);
    expect(result.total).toBe(1);
    expect(titles((await searchShop(env.DB, w.shopA, "水面")).products)).toEqual(["补水面膜 10片装"]);
    expect(titles((await searchShop(env.DB, w.shopA, " 补水 面膜 ")).products)).toEqual(["补水面膜 10片装"]);
  });

  it("finds English words and searches only this shop's listings", async () => {
    expect(titles((await searchShop(env.DB, w.shopA, "Hydrating")).products)).toEqual(["补水面膜 10片装"]);
    const inB = await searchShop(env.DB, w.shopB, "面膜");
    expect(titles(inB.products).sort()).toEqual(["硅胶面膜刷", "补水面膜 10片装"].sort());
    expect(inB.total).toBe(2);
  });

  it("answers an empty result for nothing searchable or no match, and echoes the query", async () => {
    expect(await searchShop(env.DB, w.shopA, "  ")).toEqual({ query: "", total: 0, products: [], nextCursor: null });
    expect(await searchShop(env.DB, w.shopA, '"*-()')).toMatchObject({ total: 0, products: [] });
    expect(await searchShop(env.DB, w.shopA, "榴莲")).toMatchObject({ query: "榴莲", total: 0, products: [] });
  });

  it("pages through many matches with an offset cursor", async () => {
    const supplier = await insertSupplier();
    for (let i = 0; i < 23; i++) {
      const product = await insertProduct({
        supplierId: supplier,
        categoryId: w.food.id,
        titleZh: `云南鲜花饼 第${i}款`,
        skus: [{ options: {}, supplyPriceFen: 100, stock: 5 }],
      });
      await insertListing(w.shopB, product, [990 + i]);
    }
    const first = await searchShop(env.DB, w.shopB, "鲜花饼");
    expect(first.total).toBe(23);
    expect(first.products).toHaveLength(20);
    const second = await searchShop(env.DB, w.shopB, "鲜花饼", { cursor: first.nextCursor });
    expect(second.products).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    const ids = new Set([...first.products, ...second.products].map((p) => p.productId));
    expect(ids.size).toBe(23);
  });
});

describe("product page", () => {
  it("shows titles, description, images, breadcrumb and every offered variant at the merchant's price", async () => {
    const page = await productPage(env.DB, w.shopA, w.mask.productId);
    expect(page).toMatchObject({
      productId: w.mask.productId,
      listingId: w.listings.maskA,
      title: { zh: "补水面膜 10片装", en: "Hydrating sheet mask, 10 pack" },
      description: { zh: "补水面膜 10片装的详细介绍", en: null },
      minPriceFen: 5990,
      maxPriceFen: 9990,
      soldOut: false,
      attributes: [{ name: "规格", values: ["10片", "20片"] }],
      variants: [
        { skuId: w.mask.skuIds[0], options: { 规格: "10片" }, priceFen: 5990, stock: { state: "in_stock" } },
        { skuId: w.mask.skuIds[1], options: { 规格: "20片" }, priceFen: 9990, stock: { state: "low", left: 3 } },
      ],
    });
    expect(page?.breadcrumb.map((c) => c.name.zh)).toEqual(["美妆护肤", "面部护理", "面膜"]);
    expect(page?.images).toHaveLength(2);
    expect(page?.images[0]?.url).toMatch(/^\/api\/media\/placeholder\/200\/.+\.svg\?w=\d+$/);
    expect(page?.images[0]?.alt).toBe("补水面膜 10片装 图1");
  });

  it("leaves out disabled and unpriced SKUs", async () => {
    const page = await productPage(env.DB, w.shopA, w.towel.productId);
    expect(page?.variants.map((v) => v.options)).toEqual([{ 颜色: "白" }]);
    expect(page?.attributes).toEqual([{ name: "颜色", values: ["白"] }]);
  });

  it("says 售罄 per SKU at 0 and for the product when every SKU is at 0", async () => {
    const cleanser = await productPage(env.DB, w.shopA, w.cleanser.productId);
    expect(cleanser?.soldOut).toBe(true);
    expect(cleanser?.variants[0]?.stock).toEqual({ state: "sold_out" });

    const [first, second] = w.mask.skuIds;
    if (!first || !second) throw new Error("the mask has two SKUs");
    await setStock(first, 0);
    const partly = await productPage(env.DB, w.shopA, w.mask.productId);
    expect(partly?.variants.map((v) => v.stock.state)).toEqual(["sold_out", "low"]);
    expect(partly?.soldOut).toBe(false);
    await setStock(second, 0);
    expect((await productPage(env.DB, w.shopA, w.mask.productId))?.soldOut).toBe(true);
    const card = (await searchShop(env.DB, w.shopA, "面膜")).products[0];
    expect(card?.soldOut).toBe(true);
    await setStock(first, 100);
    await setStock(second, 3);
  });
});
