/**
 * Storefront fixtures written straight into D1: a supplier, a category tree, products with SKUs, images and their
 * search rows, and a merchant's listing at its own prices. The read model is tested against these rows; the
 * catalog and listing APIs have their own tests.
 */
import { env } from "cloudflare:workers";
import { newId } from "../../worker/lib/crypto";
import { searchIndexStatements } from "../../worker/modules/catalog/search-index";

const db = () => env.DB;
let clock = Date.UTC(2026, 0, 1);
/** Strictly increasing timestamps, so "newest first" is deterministic within a file. */
function tick(): number {
  clock += 1000;
  return clock;
}

export async function insertMerchant(name = "测试小店", slug?: string): Promise<string> {
  const id = newId("mer");
  await db()
    .prepare(
      "INSERT INTO merchants (id, slug, name, theme_color, status, created_at_ms) VALUES (?, ?, ?, ?, 'active', ?)",
    )
    .bind(id, slug ?? id.replaceAll("_", "-").toLowerCase(), name, "#e4393c", tick())
    .run();
  return id;
}

export async function insertSupplier(status: "approved" | "pending" | "suspended" = "approved"): Promise<string> {
  const id = newId("sup");
  await db()
    .prepare(
      `INSERT INTO suppliers (id, name, contact_name, contact_phone, status, created_at_ms)
       VALUES (?, '测试供应商', '联系人', '13900000000', ?, ?)`,
    )
    .bind(id, status, tick())
    .run();
  return id;
}

export async function setSupplierStatus(supplierId: string, status: string): Promise<void> {
  await db().prepare("UPDATE suppliers SET status = ? WHERE id = ?").bind(status, supplierId).run();
}

/** A category under `parent` (or a root); its path follows the schema's `/a/b/` convention. */
export async function insertCategory(
  nameZh: string,
  nameEn: string,
  parent?: { id: string; path: string; level: number },
): Promise<{ id: string; path: string; level: number }> {
  const id = newId("cat");
  const path = `${parent?.path ?? "/"}${id}/`;
  const level = (parent?.level ?? 0) + 1;
  await db()
    .prepare(
      `INSERT INTO categories (id, parent_id, level, name_zh, name_en, sort, path, created_at_ms)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
    )
    .bind(id, parent?.id ?? null, level, nameZh, nameEn, path, tick())
    .run();
  return { id, path, level };
}

export interface SkuInput {
  options: Record<string, string>;
  supplyPriceFen: number;
  stock: number;
  status?: "active" | "disabled";
}

export interface ProductInput {
  supplierId: string;
  categoryId: string;
  titleZh: string;
  titleEn?: string;
  descriptionZh?: string;
  attributes?: { name: string; values: string[] }[];
  status?: "draft" | "listed" | "delisted";
  skus: SkuInput[];
  images?: number;
  salesCount?: number;
}

export interface InsertedProduct {
  productId: string;
  skuIds: string[];
}

export async function insertProduct(input: ProductInput): Promise<InsertedProduct> {
  const d1 = db();
  const productId = newId("prd");
  const at = tick();
  const skuIds = input.skus.map(() => newId("sku"));
  const statements = [
    d1
      .prepare(
        `INSERT INTO products (id, supplier_id, category_id, title_zh, title_en, description_zh, attributes, status,
                               sales_count, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        productId,
        input.supplierId,
        input.categoryId,
        input.titleZh,
        input.titleEn ?? null,
        input.descriptionZh ?? `${input.titleZh}的详细介绍`,
        JSON.stringify(input.attributes ?? []),
        input.status ?? "listed",
        input.salesCount ?? 0,
        at,
        at,
      ),
    ...input.skus.map((sku, i) =>
      d1
        .prepare(
          `INSERT INTO skus (id, product_id, supplier_id, code, options, supply_price_fen, suggested_retail_fen,
                             map_fen, stock, status, updated_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          skuIds[i],
          productId,
          input.supplierId,
          `${productId}-${i}`,
          JSON.stringify(sku.options),
          sku.supplyPriceFen,
          sku.supplyPriceFen * 3 + 7,
          sku.supplyPriceFen * 2 + 3,
          sku.stock,
          sku.status ?? "active",
          at,
        ),
    ),
    ...Array.from({ length: input.images ?? 1 }, (_, i) =>
      d1
        .prepare(
          `INSERT INTO product_images (id, product_id, supplier_id, r2_key, content_type, alt, sort, created_at_ms)
           VALUES (?, ?, ?, ?, 'image/svg+xml', ?, ?, ?)`,
        )
        .bind(
          newId("img"),
          productId,
          input.supplierId,
          `placeholder/200/${input.titleZh}-${i}.svg`,
          `${input.titleZh} 图${i + 1}`,
          i,
          at,
        ),
    ),
    ...searchIndexStatements(d1, productId, [input.titleZh, input.titleEn]),
  ];
  await d1.batch(statements);
  return { productId, skuIds };
}

/** The merchant lists the product with a price per SKU (skus missing from `pricesFen` are not offered). */
export async function insertListing(
  merchantId: string,
  product: InsertedProduct,
  pricesFen: number[],
  status: "active" | "paused" | "removed" = "active",
): Promise<string> {
  const d1 = db();
  const listingId = newId("lst");
  const at = tick();
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO listings (id, merchant_id, product_id, status, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(listingId, merchantId, product.productId, status, at, at),
    ...product.skuIds.flatMap((skuId, i) => {
      const price = pricesFen[i];
      return price === undefined
        ? []
        : [
            d1
              .prepare("INSERT INTO listing_skus (listing_id, sku_id, merchant_id, price_fen) VALUES (?, ?, ?, ?)")
              .bind(listingId, skuId, merchantId, price),
          ];
    }),
  ]);
  return listingId;
}

export async function setListingStatus(listingId: string, status: "active" | "paused" | "removed"): Promise<void> {
  await db().prepare("UPDATE listings SET status = ? WHERE id = ?").bind(status, listingId).run();
}

export async function setProductStatus(productId: string, status: "draft" | "listed" | "delisted"): Promise<void> {
  await db().prepare("UPDATE products SET status = ? WHERE id = ?").bind(status, productId).run();
}

export async function setStock(skuId: string, stock: number): Promise<void> {
  await db().prepare("UPDATE skus SET stock = ? WHERE id = ?").bind(stock, skuId).run();
}

export async function putShopSettings(merchantId: string, homeSections: unknown, catalogVersion = 1): Promise<void> {
  await db()
    .prepare(
      `INSERT INTO shop_settings (merchant_id, home_sections, catalog_version, updated_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (merchant_id) DO UPDATE SET home_sections = excluded.home_sections,
         catalog_version = excluded.catalog_version, updated_at_ms = excluded.updated_at_ms`,
    )
    .bind(
      merchantId,
      typeof homeSections === "string" ? homeSections : JSON.stringify(homeSections),
      catalogVersion,
      tick(),
    )
    .run();
}
