/**
 * @module seed/catalog: the demo supply pool and shops as SQL statements (categories, products, SKUs, images, search
 * rows, supplier metrics and grades, shop settings, listings, welfare codes). Load after `demoSeedStatements`, which
 * creates the suppliers and merchants these rows belong to. Every insert is INSERT OR IGNORE on a fixed id; the FTS
 * table has no unique key, so each product's search row is deleted and written again.
 */
import { demoCategories, type SeedCategory } from "./catalog-categories.ts";
import { demoGrades, demoMetrics, type MonthMetrics, type SupplierGrade } from "./catalog-grades.ts";
import { demoProducts } from "./catalog-products.ts";
import { DEFAULT_MIN_MARGIN_BPS, demoShops, demoWelfareCodes, type SeedShop } from "./catalog-shops.ts";
import type { SeedProduct } from "./catalog-types.ts";
import type { SeedStatement } from "./demo.ts";

export interface DemoCatalog {
  categories: SeedCategory[];
  products: SeedProduct[];
  metrics: MonthMetrics[];
  grades: SupplierGrade[];
  shops: SeedShop[];
}

/** The whole demo catalog as data, for the statements below and for tests that check what was seeded. */
export function demoCatalog(nowMs: number): DemoCatalog {
  const categories = demoCategories();
  const products = demoProducts(categories, nowMs);
  const metrics = demoMetrics(nowMs);
  return {
    categories,
    products,
    metrics,
    grades: demoGrades(metrics, products),
    shops: demoShops(products, nowMs),
  };
}

/** One INSERT OR IGNORE whose columns are the record's keys, so a value never drifts from its column name. */
function insert(table: string, row: Record<string, string | number | null>): SeedStatement {
  const columns = Object.keys(row);
  return {
    sql: `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    params: Object.values(row),
  };
}

function productStatements(p: SeedProduct): SeedStatement[] {
  const out = [
    insert("products", {
      id: p.id,
      supplier_id: p.supplierId,
      category_id: p.categoryId,
      title_zh: p.titleZh,
      title_en: p.titleEn,
      description_zh: p.descriptionZh,
      attributes: JSON.stringify(p.attributes),
      status: p.status,
      sales_count: p.salesCount,
      created_at_ms: p.createdAtMs,
      updated_at_ms: p.updatedAtMs,
    }),
  ];
  for (const s of p.skus) {
    out.push(
      insert("skus", {
        id: s.id,
        product_id: p.id,
        supplier_id: p.supplierId,
        code: s.code,
        options: JSON.stringify(s.options),
        supply_price_fen: s.supplyPriceFen,
        suggested_retail_fen: s.suggestedRetailFen,
        map_fen: s.mapFen,
        weight_grams: s.weightGrams,
        barcode: s.barcode,
        stock: s.stock,
        status: "active",
        updated_at_ms: p.updatedAtMs,
      }),
    );
  }
  for (const img of p.images) {
    out.push(
      insert("product_images", {
        id: img.id,
        product_id: p.id,
        supplier_id: p.supplierId,
        r2_key: img.r2Key,
        content_type: "image/svg+xml",
        alt: img.alt,
        sort: img.sort,
        created_at_ms: p.createdAtMs,
      }),
    );
  }
  out.push(
    { sql: "DELETE FROM product_search WHERE product_id = ?", params: [p.id] },
    { sql: "INSERT INTO product_search (product_id, terms) VALUES (?, ?)", params: [p.id, p.searchTerms] },
  );
  return out;
}

function shopStatements(shop: SeedShop, nowMs: number): SeedStatement[] {
  const out = [
    insert("shop_settings", {
      merchant_id: shop.merchantId,
      template: shop.template,
      home_sections: JSON.stringify(shop.homeSections),
      catalog_version: 1,
      updated_at_ms: nowMs,
    }),
  ];
  for (const l of shop.listings) {
    out.push(
      insert("listings", {
        id: l.id,
        merchant_id: l.merchantId,
        product_id: l.productId,
        status: "active",
        created_at_ms: l.createdAtMs,
        updated_at_ms: l.createdAtMs,
      }),
    );
    for (const s of l.skus) {
      out.push(
        insert("listing_skus", { listing_id: l.id, sku_id: s.skuId, merchant_id: l.merchantId, price_fen: s.priceFen }),
      );
    }
  }
  return out;
}

/** Statements in dependency order; `nowMs` anchors the "N days ago" timestamps and the metric periods. */
export function catalogSeedStatements(nowMs: number): SeedStatement[] {
  const catalog = demoCatalog(nowMs);
  const out = [insert("platform_settings", { key: "default_min_margin_bps", value: String(DEFAULT_MIN_MARGIN_BPS) })];
  for (const c of catalog.categories) {
    out.push(
      insert("categories", {
        id: c.id,
        parent_id: c.parentId,
        level: c.level,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        sort: c.sort,
        path: c.path,
        created_at_ms: nowMs,
      }),
    );
  }
  for (const m of catalog.metrics) {
    out.push(
      insert("supplier_metrics", {
        supplier_id: m.supplierId,
        period: m.period,
        orders: m.orders,
        dispatched_on_time: m.dispatchedOnTime,
        cancelled_or_out_of_stock: m.cancelledOrOutOfStock,
        refunded: m.refunded,
      }),
    );
  }
  for (const g of catalog.grades) {
    out.push(
      insert("supplier_grades", {
        supplier_id: g.supplierId,
        grade: g.grade,
        score_bps: g.scoreBps,
        on_time_bps: g.onTimeBps,
        cancel_bps: g.cancelBps,
        refund_bps: g.refundBps,
        price_index_bps: g.priceIndexBps,
        computed_at_ms: nowMs,
      }),
    );
  }
  for (const p of catalog.products) out.push(...productStatements(p));
  for (const shop of catalog.shops) out.push(...shopStatements(shop, nowMs));
  for (const w of demoWelfareCodes()) {
    out.push(insert("welfare_codes", { merchant_id: "mer_welfare", code: w.code, label: w.label }));
  }
  return out;
}
