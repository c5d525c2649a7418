/**
 * The shops every storefront test file builds (storage is isolated per file): shop A and shop B sell some of the
 * same goods at different prices, and shop A also has listings that must never show (paused, removed, delisted
 * product, unapproved supplier, disabled or unpriced SKU).
 */
import {
  type InsertedProduct,
  insertCategory,
  insertListing,
  insertMerchant,
  insertProduct,
  insertSupplier,
} from "../support/storefront";

type ListingName =
  | "maskA"
  | "cleanserA"
  | "appleA"
  | "perillaA"
  | "pendingA"
  | "removedA"
  | "towelA"
  | "maskB"
  | "brushB";

export interface World {
  shopA: string;
  shopB: string;
  beauty: { id: string; path: string; level: number };
  face: { id: string; path: string; level: number };
  masks: { id: string; path: string; level: number };
  food: { id: string; path: string; level: number };
  mask: InsertedProduct;
  cleanser: InsertedProduct;
  apple: InsertedProduct;
  perilla: InsertedProduct;
  pendingGoods: InsertedProduct;
  brush: InsertedProduct;
  removedGoods: InsertedProduct;
  towel: InsertedProduct;
  listings: Record<ListingName, string>;
  /** Every supply-side number written for these products: none may reach a view model. */
  supplyNumbers: number[];
}

export async function buildWorld(): Promise<World> {
  const shopA = await insertMerchant("甲店");
  const shopB = await insertMerchant("乙店");
  const supplier = await insertSupplier("approved");
  const pendingSupplier = await insertSupplier("pending");
  const beauty = await insertCategory("美妆护肤", "Beauty");
  const face = await insertCategory("面部护理", "Face care", beauty);
  const masks = await insertCategory("面膜", "Masks", face);
  const food = await insertCategory("生鲜食品", "Fresh food");

  const mask = await insertProduct({
    supplierId: supplier,
    categoryId: masks.id,
    titleZh: "补水面膜 10片装",
    titleEn: "Hydrating sheet mask, 10 pack",
    attributes: [{ name: "规格", values: ["10片", "20片", "30片"] }],
    skus: [
      { options: { 规格: "10片" }, supplyPriceFen: 3331, stock: 100 },
      { options: { 规格: "20片" }, supplyPriceFen: 5557, stock: 3 },
    ],
    images: 2,
    salesCount: 50,
  });
  const cleanser = await insertProduct({
    supplierId: supplier,
    categoryId: face.id,
    titleZh: "氨基酸保湿洁面乳",
    skus: [{ options: {}, supplyPriceFen: 2221, stock: 0 }],
    salesCount: 80,
  });
  const apple = await insertProduct({
    supplierId: supplier,
    categoryId: food.id,
    titleZh: "烟台红富士苹果 5斤",
    skus: [{ options: {}, supplyPriceFen: 1999, stock: 40 }],
  });
  const perilla = await insertProduct({
    supplierId: supplier,
    categoryId: food.id,
    titleZh: "新鲜紫苏叶",
    status: "delisted",
    skus: [{ options: {}, supplyPriceFen: 511, stock: 40 }],
  });
  const pendingGoods = await insertProduct({
    supplierId: pendingSupplier,
    categoryId: masks.id,
    titleZh: "待审核面膜",
    skus: [{ options: {}, supplyPriceFen: 1013, stock: 40 }],
  });
  const brush = await insertProduct({
    supplierId: supplier,
    categoryId: face.id,
    titleZh: "硅胶面膜刷",
    skus: [{ options: {}, supplyPriceFen: 313, stock: 40 }],
  });
  const removedGoods = await insertProduct({
    supplierId: supplier,
    categoryId: masks.id,
    titleZh: "下架的面膜",
    skus: [{ options: {}, supplyPriceFen: 1717, stock: 40 }],
  });
  const towel = await insertProduct({
    supplierId: supplier,
    categoryId: face.id,
    titleZh: "纯棉洗脸巾",
    attributes: [{ name: "颜色", values: ["白", "粉", "蓝"] }],
    skus: [
      { options: { 颜色: "白" }, supplyPriceFen: 1211, stock: 9 },
      { options: { 颜色: "粉" }, supplyPriceFen: 1213, stock: 9, status: "disabled" },
      { options: { 颜色: "蓝" }, supplyPriceFen: 1217, stock: 9 },
    ],
  });

  const listings: Record<ListingName, string> = {
    maskA: await insertListing(shopA, mask, [5990, 9990]),
    cleanserA: await insertListing(shopA, cleanser, [3990]),
    appleA: await insertListing(shopA, apple, [4990], "paused"),
    perillaA: await insertListing(shopA, perilla, [990]),
    pendingA: await insertListing(shopA, pendingGoods, [2990]),
    removedA: await insertListing(shopA, removedGoods, [3490], "removed"),
    // Blue is left unpriced: the merchant does not offer it.
    towelA: await insertListing(shopA, towel, [1990, 1990]),
    maskB: await insertListing(shopB, mask, [6990, 10990]),
    brushB: await insertListing(shopB, brush, [1590]),
  };
  const supplyNumbers = [3331, 5557, 2221, 1999, 511, 1013, 313, 1717, 1211, 1213, 1217].flatMap((fen) => [
    fen,
    fen * 3 + 7,
    fen * 2 + 3,
  ]);
  return {
    shopA,
    shopB,
    beauty,
    face,
    masks,
    food,
    mask,
    cleanser,
    apple,
    perilla,
    pendingGoods,
    brush,
    removedGoods,
    towel,
    listings,
    supplyNumbers,
  };
}
