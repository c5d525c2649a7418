/**
 * Catalog helpers: a level-3 category to file goods under, valid product bodies, products created through the API,
 * and readers for the rows a catalog write leaves behind (history, outbox events, search terms).
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { ftsMatch } from "../../worker/modules/catalog/search-index";
import { call, platformAdmin, type Session, type SupplierTenant, unique } from "../helpers";
import { applyAsSupplier } from "./tenants";

export interface CategoryChain {
  topId: string;
  midId: string;
  leafId: string;
}

let admin: (Session & { userId: string }) | undefined;

/** One platform admin per test file (signing in repeatedly would trip the sign-in rate limit). */
export async function sharedAdmin(): Promise<Session & { userId: string }> {
  admin ??= await platformAdmin();
  return admin;
}

export async function createCategoryAs(
  session: Session,
  parentId: string | null,
  nameZh = unique("类目"),
  extra: { nameEn?: string; sort?: number } = {},
): Promise<string> {
  const res = await call("/api/platform/categories", {
    session,
    body: {
      parentId,
      nameZh,
      nameEn: extra.nameEn ?? `Category ${nameZh}`,
      ...(extra.sort === undefined ? {} : { sort: extra.sort }),
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json<{ id: string }>()).id;
}

/** A fresh three-level chain (top → mid → leaf). */
export async function categoryChain(
  names: [string, string, string] = [unique("美妆"), unique("护肤"), unique("面膜")],
) {
  const session = await sharedAdmin();
  const topId = await createCategoryAs(session, null, names[0]);
  const midId = await createCategoryAs(session, topId, names[1]);
  const leafId = await createCategoryAs(session, midId, names[2]);
  return { topId, midId, leafId } satisfies CategoryChain;
}

let leaf: string | undefined;

/** A level-3 category shared by a test file's products. */
export async function sharedLeaf(): Promise<string> {
  if (leaf) {
    const row = await env.DB.prepare("SELECT id FROM categories WHERE id = ?").bind(leaf).first();
    if (row) return leaf;
  }
  leaf = (await categoryChain()).leafId;
  return leaf;
}

export async function approvedSupplierAs(): Promise<SupplierTenant> {
  const supplier = await applyAsSupplier();
  const res = await call(`/api/platform/suppliers/${supplier.supplierId}/approve`, {
    method: "POST",
    session: await sharedAdmin(),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return supplier;
}

export interface SkuBody {
  options: Record<string, string>;
  code: string;
  supplyPriceFen: number;
  suggestedRetailFen: number;
  mapFen?: number | null;
  weightGrams: number;
  barcode?: string | null;
  stock: number;
}

export interface ProductBody {
  categoryId: string;
  titleZh: string;
  titleEn?: string | null;
  descriptionZh: string;
  descriptionEn?: string | null;
  attributes: { name: string; values: string[] }[];
  skus: SkuBody[];
  status?: "draft" | "listed";
}

export function skuBody(options: Record<string, string>, overrides: Partial<SkuBody> = {}): SkuBody {
  return {
    options,
    code: unique("SKU-"),
    supplyPriceFen: 1000,
    suggestedRetailFen: 1990,
    mapFen: 1500,
    weightGrams: 250,
    stock: 50,
    ...overrides,
  };
}

/** A valid body: two colours × two sizes, four SKUs with unique codes. */
export function productBody(categoryId: string, overrides: Partial<ProductBody> = {}): ProductBody {
  const attributes = overrides.attributes ?? [
    { name: "颜色", values: ["红", "蓝"] },
    { name: "尺码", values: ["M", "L"] },
  ];
  const combos = attributes.reduce<Record<string, string>[]>(
    (acc, axis) => acc.flatMap((combo) => axis.values.map((value) => ({ ...combo, [axis.name]: value }))),
    [{}],
  );
  return {
    categoryId,
    titleZh: "纯棉短袖T恤",
    titleEn: "Cotton T-shirt",
    descriptionZh: "柔软透气的纯棉面料。",
    attributes,
    skus: combos.map((options) => skuBody(options)),
    status: "listed",
    ...overrides,
  };
}

export interface CreatedProduct {
  productId: string;
  skuIds: string[];
  skuCodes: string[];
  categoryId: string;
}

/**
 * Creates a valid, listed product through the API as this supplier (session or API key headers).
 * @example const { productId, skuIds } = await createProductAs(supplier, { titleZh: "玻尿酸补水面膜" })
 */
export async function createProductAs(
  supplier: Session | { headers: Record<string, string> },
  overrides: Partial<ProductBody> = {},
): Promise<CreatedProduct> {
  const categoryId = overrides.categoryId ?? (await sharedLeaf());
  const body = productBody(categoryId, overrides);
  const auth = "headers" in supplier ? { headers: supplier.headers } : { session: supplier };
  const res = await call("/api/supplier/products", { ...auth, body });
  expect(res.status, await res.clone().text()).toBe(201);
  const product = await res.json<{ id: string; skus: { id: string; code: string }[] }>();
  return {
    productId: product.id,
    skuIds: product.skus.map((s) => s.id),
    skuCodes: product.skus.map((s) => s.code),
    categoryId,
  };
}

export interface ChangeRowView {
  entity_type: string;
  entity_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  actor_type: string;
  actor_id: string;
}

export async function changesOf(entityId: string): Promise<ChangeRowView[]> {
  const { results } = await env.DB.prepare(
    `SELECT entity_type, entity_id, field, old_value, new_value, actor_type, actor_id
       FROM catalog_changes WHERE entity_id = ? ORDER BY at_ms, rowid`,
  )
    .bind(entityId)
    .all<ChangeRowView>();
  return results;
}

export interface OutboxEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

/** Outbox events of a type whose payload names this id (`skuId` or `productId`). */
export async function eventsFor(type: string, id: string): Promise<OutboxEvent[]> {
  const { results } = await env.DB.prepare(
    `SELECT id, type, payload FROM outbox
      WHERE type = ? AND (json_extract(payload, '$.skuId') = ?2 OR json_extract(payload, '$.productId') = ?2)
      ORDER BY occurred_at_ms, rowid`,
  )
    .bind(type, id)
    .all<{ id: string; type: string; payload: string }>();
  return results.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

/** Product ids the FTS table returns for a shopper-style query. */
export async function searchIds(query: string): Promise<string[]> {
  const match = ftsMatch(query);
  if (!match) return [];
  const { results } = await env.DB.prepare("SELECT product_id FROM product_search WHERE product_search MATCH ?")
    .bind(match)
    .all<{ product_id: string }>();
  return results.map((r) => r.product_id);
}

export async function skuRow(skuId: string) {
  return env.DB.prepare("SELECT * FROM skus WHERE id = ?").bind(skuId).first<Record<string, unknown>>();
}

/** A real 1×1 PNG. */
export const PNG_BYTES = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (ch) => ch.charCodeAt(0),
);
/** Starts like a JPEG (SOI + APP0), which is all the upload checks. */
export const JPEG_BYTES = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
/** A RIFF container whose form type is WEBP. */
export const WEBP_BYTES = Uint8Array.from([
  0x52, 0x49, 0x46, 0x46, 0x1a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x4c,
]);

/** Sends raw bytes as an image upload (the JSON `call` helper would stringify them). */
export async function uploadImage(
  who: Session | { headers: Record<string, string> },
  productId: string,
  bytes: Uint8Array,
  contentType = "image/png",
  query = "",
): Promise<Response> {
  const headers: Record<string, string> = { host: "localhost", "content-type": contentType };
  if ("headers" in who) Object.assign(headers, who.headers);
  else Object.assign(headers, { cookie: who.cookie, "x-csrf-token": who.csrf });
  return exports.default.fetch(`http://localhost/api/supplier/products/${productId}/images${query}`, {
    method: "POST",
    headers,
    body: bytes,
  });
}

/** A WebP-shaped body (RIFF header, WEBP form type) whose last byte tells renditions apart in assertions. */
export function webpBytes(tag: number): Uint8Array {
  return Uint8Array.from([...WEBP_BYTES, tag & 0xff]);
}

/** Sends raw bytes as a rendition of an uploaded image, the way the supplier console does after resizing. */
export async function uploadRendition(
  who: Session,
  productId: string,
  imageId: string,
  width: number | string,
  bytes: Uint8Array,
  contentType = "image/webp",
): Promise<Response> {
  const path = `/api/supplier/products/${productId}/images/${imageId}/renditions/${width}`;
  return exports.default.fetch(`http://localhost${path}`, {
    method: "POST",
    headers: { host: "localhost", "content-type": contentType, cookie: who.cookie, "x-csrf-token": who.csrf },
    body: bytes,
  });
}
