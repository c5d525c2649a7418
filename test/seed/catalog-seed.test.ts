import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../worker/lib/crypto";
import { catalogSeedStatements, demoCatalog } from "../../worker/seed/catalog";
import { gradeFromTotals } from "../../worker/seed/catalog-grades";
import { DEMO_PASSWORD, demoSeedStatements, type SeedStatement } from "../../worker/seed/demo";
import { demoOrderStatements } from "../../worker/seed/orders";
import { call } from "../helpers";

const NOW_MS = Date.UTC(2026, 4, 20, 8);

const TABLES = [
  "merchants",
  "suppliers",
  "users",
  "memberships",
  "categories",
  "products",
  "skus",
  "product_images",
  "product_search",
  "supplier_metrics",
  "supplier_grades",
  "platform_settings",
  "shop_settings",
  "listings",
  "listing_skus",
  "welfare_codes",
  "orders",
  "sub_orders",
  "order_lines",
  "order_events",
  "payments",
  "order_sequences",
] as const;

async function run(statements: SeedStatement[]): Promise<void> {
  // Several batches keep each one well inside D1's per-batch limits.
  for (let i = 0; i < statements.length; i += 500) {
    const chunk = statements.slice(i, i + 500);
    await env.DB.batch(chunk.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)));
  }
}

async function seedAll(nowMs: number): Promise<void> {
  await run([
    ...(await demoSeedStatements(hashPassword, nowMs)),
    ...catalogSeedStatements(nowMs),
    ...demoOrderStatements(demoCatalog(nowMs), nowMs),
  ]);
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
    out[table] = row?.n ?? -1;
  }
  return out;
}

async function all<T>(sql: string, ...params: (string | number)[]): Promise<T[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;
}

describe("demo catalog seed", () => {
  let first: Record<string, number>;
  const catalog = demoCatalog(NOW_MS);

  beforeAll(async () => {
    await seedAll(NOW_MS);
    first = await counts();
    // A later run (another day) must not add or duplicate anything either.
    await seedAll(NOW_MS + 3_600_000);
  });

  it("loads once however often it runs", async () => {
    expect(await counts()).toEqual(first);
    expect(first.product_search).toBe(first.products);
  });

  it("builds the same goods, prices and picks whatever the run time", () => {
    const strip = (c: ReturnType<typeof demoCatalog>) =>
      c.products.map((p) => ({ id: p.id, skus: p.skus, images: p.images, status: p.status, sales: p.salesCount }));
    expect(strip(demoCatalog(NOW_MS + 86_400_000 * 40))).toEqual(strip(catalog));
    const listings = (c: ReturnType<typeof demoCatalog>) => c.shops.map((s) => s.listings.map((l) => l.skus));
    expect(listings(demoCatalog(NOW_MS - 86_400_000))).toEqual(listings(catalog));
  });

  it("has a three-level category tree of at least 300 with consistent parents and paths", async () => {
    const rows = await all<{ id: string; parent_id: string | null; level: number; path: string; name_en: string }>(
      "SELECT id, parent_id, level, path, name_en FROM categories",
    );
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const perLevel = [1, 2, 3].map((level) => rows.filter((r) => r.level === level).length);
    expect(perLevel).toEqual([10, 60, 300]);
    for (const c of rows) {
      expect(c.name_en.length).toBeGreaterThan(0);
      if (c.level === 1) {
        expect(c.parent_id).toBeNull();
        expect(c.path).toBe(`/${c.id}/`);
        continue;
      }
      const parent = byId.get(c.parent_id ?? "");
      expect(parent?.level, c.id).toBe(c.level - 1);
      expect(c.path).toBe(`${parent?.path}${c.id}/`);
    }
  });

  it("puts every product in a level-3 category and loads every generated SKU", async () => {
    const misplaced = await all<{ id: string }>(
      "SELECT p.id FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE c.level IS NOT 3",
    );
    expect(misplaced).toEqual([]);
    const generated = catalog.products.flatMap((p) => p.skus).length;
    expect(generated).toBeGreaterThanOrEqual(300);
    expect(first.skus).toBe(generated);
    expect(first.products).toBe(catalog.products.length);
  });

  it("gives every product exactly one SKU per combination of its attribute values", async () => {
    const products = await all<{ id: string; attributes: string }>("SELECT id, attributes FROM products");
    const skus = await all<{ product_id: string; options: string }>("SELECT product_id, options FROM skus");
    for (const p of products) {
      const axes = JSON.parse(p.attributes) as { name: string; values: string[] }[];
      let expected: string[][] = [[]];
      for (const axis of axes) expected = expected.flatMap((row) => axis.values.map((v) => [...row, v]));
      const actual = skus
        .filter((s) => s.product_id === p.id)
        .map((s) => JSON.parse(s.options) as Record<string, string>)
        .map((o) => {
          expect(Object.keys(o).sort()).toEqual(axes.map((a) => a.name).sort());
          return axes.map((a) => o[a.name] ?? "");
        });
      expect(expected.length, p.id).toBeGreaterThanOrEqual(1);
      expect(expected.length, p.id).toBeLessThanOrEqual(12);
      expect(actual.map((v) => JSON.stringify(v)).sort(), p.id).toEqual(expected.map((v) => JSON.stringify(v)).sort());
    }
  });

  it("prices SKUs realistically: supply ¥5–¥300, suggested retail 1.3–2.2× supply, MAP between them", async () => {
    const skus = await all<{ supply_price_fen: number; suggested_retail_fen: number; map_fen: number | null }>(
      "SELECT supply_price_fen, suggested_retail_fen, map_fen FROM skus",
    );
    for (const s of skus) {
      expect(s.supply_price_fen).toBeGreaterThanOrEqual(500);
      expect(s.supply_price_fen).toBeLessThanOrEqual(30_000);
      expect(s.suggested_retail_fen / s.supply_price_fen).toBeGreaterThanOrEqual(1.3);
      expect(s.suggested_retail_fen / s.supply_price_fen).toBeLessThanOrEqual(2.2);
      if (s.map_fen !== null) expect(s.map_fen).toBeLessThanOrEqual(s.suggested_retail_fen);
    }
    expect(skus.some((s) => s.map_fen !== null)).toBe(true);
  });

  it("prices every listed SKU at or above the 10% margin floor and the supplier's MAP", async () => {
    const setting = await env.DB.prepare(
      "SELECT value FROM platform_settings WHERE key = 'default_min_margin_bps'",
    ).first<{ value: string }>();
    expect(setting?.value).toBe("1000");
    const rows = await all<{ price_fen: number; supply_price_fen: number; map_fen: number | null }>(
      `SELECT ls.price_fen, s.supply_price_fen, s.map_fen FROM listing_skus ls JOIN skus s ON s.id = ls.sku_id`,
    );
    expect(rows.length).toBe(first.listing_skus);
    for (const r of rows) {
      expect(r.price_fen).toBeGreaterThanOrEqual(Math.max(Math.ceil((r.supply_price_fen * 11) / 10), r.map_fen ?? 0));
    }
  });

  it("lists ~60 products in the demo shop, the baby goods in mama and 30 food and home goods in welfare", async () => {
    const per = await all<{ merchant_id: string; n: number; tops: string }>(
      `SELECT l.merchant_id, COUNT(*) AS n, GROUP_CONCAT(DISTINCT substr(c.path, 2, instr(substr(c.path, 2), '/') - 1)) AS tops
       FROM listings l JOIN products p ON p.id = l.product_id JOIN categories c ON c.id = p.category_id
       WHERE p.status = 'listed' GROUP BY l.merchant_id`,
    );
    const shop = (id: string) => per.find((r) => r.merchant_id === id);
    expect(shop("mer_demo")?.n).toBe(60);
    expect(shop("mer_demo")?.tops.split(",").length).toBeGreaterThanOrEqual(4);
    const babyListed = catalog.products.filter((p) => p.topCategoryId === "cat_2" && p.status === "listed").length;
    expect(shop("mer_mama")).toMatchObject({ n: babyListed, tops: "cat_2" });
    expect(shop("mer_welfare")?.n).toBe(30);
    expect(shop("mer_welfare")?.tops.split(",").sort()).toEqual(["cat_1", "cat_4"]);
    const orphaned = await all<{ id: string }>(
      `SELECT l.id FROM listings l WHERE NOT EXISTS (SELECT 1 FROM listing_skus ls WHERE ls.listing_id = l.id)`,
    );
    expect(orphaned).toEqual([]);
  });

  it("gives each shop a template and home sections whose collections point at its own listings", async () => {
    const shops = await all<{ merchant_id: string; template: string; home_sections: string }>(
      "SELECT merchant_id, template, home_sections FROM shop_settings ORDER BY merchant_id",
    );
    expect(shops.map((s) => [s.merchant_id, s.template])).toEqual([
      ["mer_demo", "general"],
      ["mer_mama", "baby"],
      ["mer_welfare", "welfare"],
    ]);
    for (const s of shops) {
      const sections = JSON.parse(s.home_sections) as { type: string; title: string; listingIds?: string[] }[];
      expect(sections[0]?.type).toBe("banner");
      expect(sections.at(-1)).toEqual({ type: "recommendations", title: "猜你喜欢" });
      const ids = sections.flatMap((x) => x.listingIds ?? []);
      expect(ids.length).toBeGreaterThan(0);
      const own = await all<{ id: string }>("SELECT id FROM listings WHERE merchant_id = ?", s.merchant_id);
      const ownIds = new Set(own.map((l) => l.id));
      for (const id of ids) expect(ownIds.has(id), id).toBe(true);
    }
  });

  it("grades 鲜果源 A, 家居优选 B and 柔肌日化 C, exactly as the formula gives on the seeded metrics", async () => {
    const grades = await all<{ supplier_id: string; grade: string; score_bps: number; price_index_bps: number }>(
      "SELECT supplier_id, grade, score_bps, price_index_bps FROM supplier_grades ORDER BY score_bps DESC",
    );
    expect(grades.map((g) => [g.supplier_id, g.grade])).toEqual([
      ["sup_demo_fresh", "A"],
      ["sup_demo_home", "B"],
      ["sup_demo_beauty", "C"],
    ]);
    const totals = await all<{ supplier_id: string; months: number; o: number; t: number; c: number; r: number }>(
      `SELECT supplier_id, COUNT(*) AS months, SUM(orders) AS o, SUM(dispatched_on_time) AS t,
              SUM(cancelled_or_out_of_stock) AS c, SUM(refunded) AS r
       FROM supplier_metrics GROUP BY supplier_id`,
    );
    for (const g of grades) {
      const m = totals.find((x) => x.supplier_id === g.supplier_id);
      expect(m?.months).toBe(6);
      const recomputed = gradeFromTotals(
        {
          supplierId: g.supplier_id,
          orders: m?.o ?? 0,
          dispatchedOnTime: m?.t ?? 0,
          cancelledOrOutOfStock: m?.c ?? 0,
          refunded: m?.r ?? 0,
        },
        g.price_index_bps,
      );
      expect(recomputed).toMatchObject({ grade: g.grade, scoreBps: g.score_bps });
    }
  });

  it("finds every 面膜 product through the search index", async () => {
    const hits = await all<{ product_id: string }>(
      `SELECT product_id FROM product_search WHERE product_search MATCH '"面膜"'`,
    );
    const masks = await all<{ id: string }>(
      "SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name_zh = '面膜'",
    );
    expect(masks.length).toBeGreaterThanOrEqual(3);
    expect(hits.map((h) => h.product_id)).toEqual(expect.arrayContaining(masks.map((m) => m.id)));
  });

  it("draws one to three placeholder images per product", async () => {
    const rows = await all<{ n: number; bad: number }>(
      `SELECT COUNT(*) AS n, SUM(r2_key NOT LIKE 'placeholder/%.svg') AS bad FROM product_images GROUP BY product_id`,
    );
    expect(rows.length).toBe(first.products);
    for (const r of rows) {
      expect(r.n).toBeGreaterThanOrEqual(1);
      expect(r.n).toBeLessThanOrEqual(3);
      expect(r.bad).toBe(0);
    }
  });

  it("issues welfare codes XH0001 to XH0050 to the welfare shop", async () => {
    const codes = await all<{ code: string; label: string }>(
      "SELECT code, label FROM welfare_codes WHERE merchant_id = 'mer_welfare' ORDER BY code",
    );
    expect(codes.map((c) => c.code)).toEqual(
      Array.from({ length: 50 }, (_, i) => `XH${String(i + 1).padStart(4, "0")}`),
    );
    expect(codes.every((c) => c.label.length > 0)).toBe(true);
  });

  it.each([
    ["beauty@demo.local", "supplier", "sup_demo_beauty"],
    ["mama@demo.local", "merchant", "mer_mama"],
    ["welfare@demo.local", "merchant", "mer_welfare"],
  ] as const)("%s signs in as the owner of %s %s", async (email, orgType, orgId) => {
    const res = await call("/api/auth/sign-in", { body: { email, password: DEMO_PASSWORD } });
    expect(res.status).toBe(200);
    const body = await res.json<{ memberships: { orgType: string; orgId: string; role: string }[] }>();
    expect(body.memberships).toContainEqual(expect.objectContaining({ orgType, orgId, role: "owner" }));
  });

  // A different phone per shop: codes are limited to one a minute per phone.
  it.each([
    ["mama.localhost", "13800138001"],
    ["welfare.localhost", "13800138002"],
  ])("serves the shop on %s", async (host, phone) => {
    const res = await call("/api/shop/auth/code", { host, body: { phone } });
    expect(res.status).toBe(202);
  });
});
