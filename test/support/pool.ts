/**
 * The supply pool for merchant-catalog tests. The supplier catalog API is built elsewhere, so its products, SKUs,
 * images, grades and search rows are inserted here as that module stores them; suppliers themselves apply and are
 * approved through the API. Also: supplier-side changes (price, MAP, stock, status) and the events they publish.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { makeEvent } from "../../worker/events/outbox";
import type { DomainEvent } from "../../worker/events/types";
import { newId } from "../../worker/lib/crypto";
import { searchIndexStatements } from "../../worker/modules/catalog/search-index";
import { call, type Session, type SupplierTenant, unique } from "../helpers";
import { applyAsSupplier } from "./tenants";

export type PoolSupplier = SupplierTenant & { name: string };

/** A supplier that applied through the API and was approved by the given platform admin. */
export async function approvedPoolSupplier(admin: Session): Promise<PoolSupplier> {
  const supplier = await applyAsSupplier();
  const res = await call(`/api/platform/suppliers/${supplier.supplierId}/approve`, { method: "POST", session: admin });
  expect(res.status, await res.clone().text()).toBe(200);
  return supplier;
}

export interface CategoryRef {
  id: string;
  path: string;
}

export async function insertCategory(nameZh: string, parent?: CategoryRef): Promise<CategoryRef> {
  const id = newId("cat");
  const path = `${parent?.path ?? "/"}${id}/`;
  const level = path.split("/").filter(Boolean).length;
  await env.DB.prepare(
    "INSERT INTO categories (id, parent_id, level, name_zh, name_en, sort, path, created_at_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
  )
    .bind(id, parent?.id ?? null, level, nameZh, `${nameZh} (en)`, path, Date.now())
    .run();
  return { id, path };
}

export interface SkuSpec {
  code?: string;
  options?: Record<string, string>;
  supplyPriceFen: number;
  suggestedRetailFen: number;
  mapFen?: number | null;
  stock?: number;
  status?: "active" | "disabled";
}

export interface ProductSpec {
  supplierId: string;
  categoryId: string;
  titleZh: string;
  titleEn?: string;
  status?: "draft" | "listed" | "delisted";
  salesCount?: number;
  createdAtMs?: number;
  imageKey?: string;
  skus: SkuSpec[];
}

export interface InsertedProduct {
  productId: string;
  skuIds: string[];
}

/** Writes a product as the supplier catalog stores it: product, SKUs, first image and its search row, in one batch. */
export async function insertProduct(spec: ProductSpec): Promise<InsertedProduct> {
  const nowMs = spec.createdAtMs ?? Date.now();
  const productId = newId("prd", nowMs);
  const skuIds = spec.skus.map(() => newId("sku", nowMs));
  // Codes are unique per supplier; the index keeps them in the given order, which is the order SKUs are shown in.
  const codeBase = unique("C");
  const statements: D1PreparedStatement[] = [
    env.DB.prepare(
      `INSERT INTO products (id, supplier_id, category_id, title_zh, title_en, description_zh, status, sales_count,
                             created_at_ms, updated_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      productId,
      spec.supplierId,
      spec.categoryId,
      spec.titleZh,
      spec.titleEn ?? null,
      `${spec.titleZh} 的介绍`,
      spec.status ?? "listed",
      spec.salesCount ?? 0,
      nowMs,
      nowMs,
    ),
    ...spec.skus.map((sku, i) =>
      env.DB.prepare(
        `INSERT INTO skus (id, product_id, supplier_id, code, options, supply_price_fen, suggested_retail_fen, map_fen,
                           stock, status, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(
        skuIds[i],
        productId,
        spec.supplierId,
        sku.code ?? `${codeBase}-${String(i).padStart(3, "0")}`,
        JSON.stringify(sku.options ?? {}),
        sku.supplyPriceFen,
        sku.suggestedRetailFen,
        sku.mapFen ?? null,
        sku.stock ?? 100,
        sku.status ?? "active",
        nowMs,
      ),
    ),
    ...searchIndexStatements(env.DB, productId, [spec.titleZh, spec.titleEn]),
  ];
  if (spec.imageKey) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO product_images (id, product_id, supplier_id, r2_key, content_type, sort, created_at_ms)
         VALUES (?, ?, ?, ?, 'image/svg+xml', 0, ?)`,
      ).bind(newId("img"), productId, spec.supplierId, spec.imageKey, nowMs),
    );
  }
  await env.DB.batch(statements);
  return { productId, skuIds };
}

export async function setGrade(supplierId: string, grade: "A" | "B" | "C"): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO supplier_grades (supplier_id, grade, score_bps, on_time_bps, cancel_bps, refund_bps, price_index_bps,
                                  computed_at_ms)
     VALUES (?, ?, 9000, 9500, 100, 100, 10000, ?)
     ON CONFLICT (supplier_id) DO UPDATE SET grade = excluded.grade`,
  )
    .bind(supplierId, grade, Date.now())
    .run();
}

export interface SkuRowView {
  id: string;
  product_id: string;
  supplier_id: string;
  supply_price_fen: number;
  map_fen: number | null;
  stock: number;
}

async function skuRow(skuId: string): Promise<SkuRowView> {
  const row = await env.DB.prepare(
    "SELECT id, product_id, supplier_id, supply_price_fen, map_fen, stock FROM skus WHERE id = ?",
  )
    .bind(skuId)
    .first<SkuRowView>();
  if (!row) throw new Error(`no sku ${skuId}`);
  return row;
}

/**
 * What the supplier catalog does when a SKU changes: update the row, and describe the change in an event.
 * The event is returned, not published, so a test decides how it is delivered.
 */
export async function changeSku(
  skuId: string,
  change: { supplyPriceFen?: number; mapFen?: number | null; stock?: number; status?: "active" | "disabled" },
): Promise<DomainEvent<"sku.supply_changed">> {
  const before = await skuRow(skuId);
  await env.DB.prepare(
    `UPDATE skus SET supply_price_fen = ?, map_fen = ?, stock = ?, status = COALESCE(?, status), updated_at_ms = ?
     WHERE id = ?`,
  )
    .bind(
      change.supplyPriceFen ?? before.supply_price_fen,
      change.mapFen === undefined ? before.map_fen : change.mapFen,
      change.stock ?? before.stock,
      change.status ?? null,
      Date.now(),
      skuId,
    )
    .run();
  const after = await skuRow(skuId);
  return makeEvent("sku.supply_changed", {
    skuId,
    productId: after.product_id,
    supplierId: after.supplier_id,
    supplyPriceFen: after.supply_price_fen,
    previousSupplyPriceFen: before.supply_price_fen,
    mapFen: after.map_fen,
    stock: after.stock,
    previousStock: before.stock,
  });
}

export async function changeProductStatus(
  productId: string,
  to: "draft" | "listed" | "delisted",
): Promise<DomainEvent<"product.status_changed">> {
  const before = await env.DB.prepare("SELECT status, supplier_id FROM products WHERE id = ?")
    .bind(productId)
    .first<{ status: "draft" | "listed" | "delisted"; supplier_id: string }>();
  if (!before) throw new Error(`no product ${productId}`);
  await env.DB.prepare("UPDATE products SET status = ?, updated_at_ms = ? WHERE id = ?")
    .bind(to, Date.now(), productId)
    .run();
  return makeEvent("product.status_changed", { productId, supplierId: before.supplier_id, from: before.status, to });
}

export async function catalogVersion(merchantId: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT catalog_version AS v FROM shop_settings WHERE merchant_id = ?")
    .bind(merchantId)
    .first<{ v: number }>();
  return row?.v ?? null;
}

export interface ListingRowView {
  id: string;
  merchant_id: string;
  status: string;
  pause_reason: string | null;
}

export async function listingRow(listingId: string): Promise<ListingRowView | null> {
  return env.DB.prepare("SELECT id, merchant_id, status, pause_reason FROM listings WHERE id = ?")
    .bind(listingId)
    .first<ListingRowView>();
}

/** The `listing.paused` events waiting in the outbox for a listing. */
export async function pausedEventsFor(listingId: string): Promise<{ id: string; payload: string }[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, payload FROM outbox WHERE type = 'listing.paused' AND json_extract(payload, '$.listingId') = ?",
  )
    .bind(listingId)
    .all<{ id: string; payload: string }>();
  return results;
}

/** A token that exists only in this test's product titles, so a search scopes the shared pool to one test. */
export function searchToken(): string {
  return unique("tok").toLowerCase();
}

export interface ListingView {
  id: string;
  productId: string;
  status: "active" | "paused" | "removed";
  pauseReason: string | null;
  priceRange: { minFen: number; maxFen: number } | null;
  stockTotal: number;
  stockState: "in_stock" | "sold_out";
  titleZh: string;
  skus: {
    skuId: string;
    label: string;
    priceFen: number | null;
    floorFen: number;
    belowFloor: boolean;
    stock: number;
  }[];
}

/** Lists a product through the API at the given prices (fen, in SKU order) and returns the listing. */
export async function pick(
  merchant: Session,
  product: InsertedProduct,
  pricesFen: number[],
  headers: Record<string, string> = {},
): Promise<ListingView> {
  const res = await call("/api/merchant/listings", {
    session: merchant,
    headers,
    body: {
      productId: product.productId,
      prices: product.skuIds.map((skuId, i) => ({ skuId, priceFen: pricesFen[i] ?? pricesFen[0] })),
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<ListingView>();
}
