/**
 * @module seed/catalog-shops: the three demo shops' settings, listings (picked products at the shop's own prices)
 * and the welfare shop's employee codes. Which products a shop lists and at what price is decided by a PRNG seeded
 * with the shop and product, so a re-run picks the same ones.
 */
import type { SeedProduct, SeedSku } from "./catalog-types.ts";
import { rng, within } from "./prng.ts";

/** The platform's default minimum margin over the supply price (platform_settings `default_min_margin_bps`). */
export const DEFAULT_MIN_MARGIN_BPS = 1000;

export interface SeedListing {
  id: string;
  merchantId: string;
  productId: string;
  createdAtMs: number;
  skus: { skuId: string; priceFen: number }[];
}

export type HomeSection =
  | { type: "banner"; title: string; subtitle: string }
  | { type: "collection"; title: string; listingIds: string[] }
  | { type: "recommendations"; title: string };

export interface SeedShop {
  merchantId: string;
  slug: string;
  template: "general" | "baby" | "welfare";
  listings: SeedListing[];
  homeSections: HomeSection[];
}

export interface SeedWelfareCode {
  code: string;
  label: string;
}

/** The lowest price a listing may carry: the margin floor over supply, and never below the supplier's MAP. */
export function priceFloorFen(sku: Pick<SeedSku, "supplyPriceFen" | "mapFen">, marginBps: number): number {
  const marginFloor = Math.ceil((sku.supplyPriceFen * (10_000 + marginBps)) / 10_000);
  return Math.max(marginFloor, sku.mapFen ?? 0);
}

/** A shelf price such as ¥69.90 (whole 10 fen under ¥10), raised to the floor when the target sits below it. */
function shelfPrice(targetFen: number, floorFen: number): number {
  const pretty = targetFen >= 1000 ? Math.round(targetFen / 100) * 100 - 10 : Math.round(targetFen / 10) * 10;
  return Math.max(pretty, Math.ceil(floorFen / 10) * 10);
}

interface ShopPlan {
  merchantId: string;
  slug: string;
  template: SeedShop["template"];
  pick: (listed: SeedProduct[]) => SeedProduct[];
  /** The shop prices every SKU of a listing at one ratio, drawn from this range, of the SKU's retail or supply price. */
  pricing: { of: "suggestedRetailFen" | "supplyPriceFen"; ratio: readonly [number, number] };
  /** `inCategory` lists the shop's listing ids under any of the given category ids (any level). */
  sections: (inCategory: (...ancestors: string[]) => string[]) => HomeSection[];
}

/** Products in a stable shuffled order for one shop, so each shop's selection looks hand-picked, not alphabetical. */
function shuffled(products: SeedProduct[], salt: string): SeedProduct[] {
  const keyed = products.map((p) => ({ p, k: rng(`${salt}:${p.id}`)() }));
  return keyed.sort((a, b) => a.k - b.k).map(({ p }) => p);
}

const PLANS: readonly ShopPlan[] = [
  {
    merchantId: "mer_demo",
    slug: "demo",
    template: "general",
    pick: (listed) => shuffled(listed, "demo").slice(0, 60),
    pricing: { of: "suggestedRetailFen", ratio: [0.88, 1] },
    sections: (inCategory) => [
      { type: "banner", title: "演示小店 · 好物上新", subtitle: "鲜果、家居、美妆一站购齐，满99元包邮" },
      { type: "collection", title: "当季鲜果与零食", listingIds: inCategory("cat_4").slice(0, 8) },
      { type: "collection", title: "居家好物", listingIds: inCategory("cat_1", "cat_9").slice(0, 8) },
      { type: "recommendations", title: "猜你喜欢" },
    ],
  },
  {
    merchantId: "mer_mama",
    slug: "mama",
    template: "baby",
    pick: (listed) => listed.filter((p) => p.topCategoryId === "cat_2"),
    pricing: { of: "suggestedRetailFen", ratio: [0.92, 1] },
    sections: (inCategory) => [
      { type: "banner", title: "萌宝母婴馆", subtitle: "大牌品质 · 新手爸妈放心选" },
      { type: "collection", title: "纸尿裤囤货季", listingIds: inCategory("cat_21").slice(0, 8) },
      { type: "collection", title: "宝宝辅食与喂养", listingIds: inCategory("cat_22", "cat_23").slice(0, 8) },
      { type: "recommendations", title: "猜你喜欢" },
    ],
  },
  {
    merchantId: "mer_welfare",
    slug: "welfare",
    template: "welfare",
    pick: (listed) =>
      shuffled(
        listed.filter((p) => p.topCategoryId === "cat_4" || p.topCategoryId === "cat_1"),
        "welfare",
      ).slice(0, 30),
    // Employee prices: a thin margin over supply, well under the shelf price.
    pricing: { of: "supplyPriceFen", ratio: [1.12, 1.3] },
    sections: (inCategory) => [
      { type: "banner", title: "星河科技员工福利", subtitle: "输入员工福利码，享专属内购价" },
      { type: "collection", title: "节日福利 · 美食", listingIds: inCategory("cat_4").slice(0, 8) },
      { type: "collection", title: "居家生活", listingIds: inCategory("cat_1").slice(0, 8) },
      { type: "recommendations", title: "猜你喜欢" },
    ],
  },
];

function buildListing(plan: ShopPlan, product: SeedProduct, nowMs: number): SeedListing {
  const id = `lst_${plan.slug}_${product.key}`;
  const r = rng(id);
  const ratio = within(r, ...plan.pricing.ratio);
  const skus = product.skus.map((sku) => ({
    skuId: sku.id,
    priceFen: shelfPrice(sku[plan.pricing.of] * ratio, priceFloorFen(sku, DEFAULT_MIN_MARGIN_BPS)),
  }));
  const createdAtMs = product.createdAtMs + Math.round(r() * 0.5 * (nowMs - product.createdAtMs));
  return { id, merchantId: plan.merchantId, productId: product.id, createdAtMs, skus };
}

export function demoShops(products: SeedProduct[], nowMs: number): SeedShop[] {
  const listed = products.filter((p) => p.status === "listed");
  return PLANS.map((plan) => {
    const picked = plan.pick(listed);
    const listings = picked.map((p) => buildListing(plan, p, nowMs));
    const inCategory = (...ancestors: string[]) =>
      picked
        .filter((p) => ancestors.some((id) => p.categoryPath.includes(`/${id}/`)))
        .map((p) => `lst_${plan.slug}_${p.key}`);
    const homeSections = plan.sections(inCategory).filter((s) => s.type !== "collection" || s.listingIds.length > 0);
    return { merchantId: plan.merchantId, slug: plan.slug, template: plan.template, listings, homeSections };
  });
}

const DEPARTMENTS = ["研发中心", "产品部", "市场部", "销售部", "人力资源部", "财务部", "行政部", "客服中心"];

/** XH0001…XH0050, one per employee, labelled with the department HR issued it to. */
export function demoWelfareCodes(): SeedWelfareCode[] {
  return Array.from({ length: 50 }, (_, i) => ({
    code: `XH${String(i + 1).padStart(4, "0")}`,
    label: `${DEPARTMENTS[i % DEPARTMENTS.length] ?? "员工"} · 2026 年度福利`,
  }));
}
