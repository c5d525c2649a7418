/**
 * @module catalog/service: suppliers' goods — creating a product with its SKU matrix, editing texts, category and
 * status, and reading products back with SKUs, images and history. SKU prices and stock change in sku-service.
 */
import { AppError } from "../../errors";
import { makeEvent, outboxInsert, outboxInsertWhen } from "../../events/outbox";
import { newId } from "../../lib/crypto";
import type { OrgActor } from "../auth/identity";
import { findCategory, isLeaf } from "../categories/service";
import { imageUrl } from "../media/urls";
import { findSupplier } from "../orgs/repository";
import { runBatchStatements } from "./batch";
import { parseAttributes, productIndexStatements } from "./reindex";
import {
  type ChangeRow,
  changesOfProduct,
  deleteImage,
  findImage,
  findProduct,
  type ImageRow,
  imagesOf,
  insertChangeStatement,
  insertChangeWhen,
  insertImageWithin,
  insertProductStatements,
  PRODUCT_AS_READ,
  type ProductRow,
  type SkuRow,
  skusOfProduct,
  statement,
  takenCodes,
  updateProductStatement,
} from "./repository";
import { checkMatrix, priceIssues, skuMatrix } from "./rules";
import type { CreateProductInput, ProductStatus, UpdateProductInput } from "./schemas";
import type { ChangeActor } from "./sku-repository";

export type { ChangeActor };

/** Who a console or integration caller is, as catalog history records it. */
export function changeActorOf(actor: OrgActor): ChangeActor {
  return actor.role === "api" ? { type: "api_key", id: actor.actorId } : { type: "user", id: actor.actorId };
}

/** Reads stay open to every supplier member; only an approved supplier may create or change goods. */
export async function assertApprovedSupplier(d1: D1Database, supplierId: string): Promise<void> {
  const supplier = await findSupplier(d1, supplierId);
  if (supplier?.status !== "approved") {
    throw new AppError("supplier_not_approved", `Supplier is ${supplier?.status ?? "unknown"}; goods need approval`, {
      extensions: { supplierStatus: supplier?.status ?? null },
    });
  }
}

/** Another supplier's product answers exactly like a missing one, so ids reveal nothing across tenants. */
export async function findOwnProduct(d1: D1Database, supplierId: string, productId: string): Promise<ProductRow> {
  const product = await findProduct(d1, supplierId, productId);
  if (!product) throw new AppError("not_found", `No product ${productId}`);
  return product;
}

async function leafCategory(d1: D1Database, categoryId: string) {
  const category = await findCategory(d1, categoryId);
  if (!category) throw new AppError("unknown_category", `No category ${categoryId}`);
  if (!isLeaf(category)) {
    throw new AppError("category_not_leaf", `"${category.nameZh}" is level ${category.level}; choose a level-3 one`);
  }
  return category;
}

export function skuView(row: SkuRow) {
  const { id, productId, code, supplyPriceFen, suggestedRetailFen, mapFen, weightGrams, barcode, stock } = row;
  const options = JSON.parse(row.options) as Record<string, string>;
  return {
    id,
    productId,
    code,
    options,
    supplyPriceFen,
    suggestedRetailFen,
    mapFen,
    weightGrams,
    barcode,
    stock,
    status: row.status,
    updatedAtMs: row.updatedAtMs,
  };
}

export function imageView(row: ImageRow) {
  const { id, alt, contentType, sort, createdAtMs } = row;
  return { id, url: imageUrl(row.r2Key), alt, contentType, sort, createdAtMs };
}

export async function productDetail(d1: D1Database, supplierId: string, productId: string) {
  const product = await findOwnProduct(d1, supplierId, productId);
  const [skuRows, images] = await Promise.all([
    skusOfProduct(d1, supplierId, productId),
    imagesOf(d1, supplierId, [productId]),
  ]);
  const { id, categoryId, titleZh, titleEn, descriptionZh, descriptionEn, status, createdAtMs, updatedAtMs } = product;
  const attributes = parseAttributes(product.attributes);
  // SKU ids made in the same millisecond do not sort in creation order; the matrix order is the meaningful one.
  const position = new Map(skuMatrix(attributes).map((combo, i) => [JSON.stringify(combo), i]));
  const skus = skuRows
    .map(skuView)
    .sort((a, b) => (position.get(JSON.stringify(a.options)) ?? 0) - (position.get(JSON.stringify(b.options)) ?? 0));
  return {
    id,
    supplierId: product.supplierId,
    categoryId,
    titleZh,
    titleEn,
    descriptionZh,
    descriptionEn,
    attributes,
    status,
    skus,
    images: images.map(imageView),
    createdAtMs,
    updatedAtMs,
  };
}

export type ProductDetail = Awaited<ReturnType<typeof productDetail>>;

function changeRow(
  supplierId: string,
  actor: ChangeActor,
  fields: Omit<ChangeRow, "id" | "supplierId" | "actorType" | "actorId">,
): ChangeRow {
  return { id: newId("chg", fields.atMs), supplierId, actorType: actor.type, actorId: actor.id, ...fields };
}

/**
 * Creates a product and its SKUs in one batch, with its search row, a history row and (when created listed) a
 * `product.status_changed` event. The CSV importer calls this too, with actor `{ type: "import", id }`.
 * @example await createProduct(env, supplierId, { type: "user", id: userId }, body)
 */
export async function createProduct(
  env: Env,
  supplierId: string,
  actor: ChangeActor,
  input: CreateProductInput,
): Promise<ProductDetail> {
  await assertApprovedSupplier(env.DB, supplierId);
  const category = await leafCategory(env.DB, input.categoryId);
  const matrix = checkMatrix(
    input.attributes,
    input.skus.map((sku) => sku.options),
  );
  if (matrix.issues.length) {
    const detail = `${matrix.missing.length} combinations missing, ${matrix.extra.length} not in the matrix`;
    throw new AppError("sku_matrix_mismatch", detail, {
      extensions: { issues: matrix.issues, missing: matrix.missing, extra: matrix.extra },
    });
  }
  const priceProblems = input.skus.flatMap((sku, i) =>
    priceIssues({ ...sku, mapFen: sku.mapFen ?? null }, `skus.${i}.`),
  );
  if (priceProblems.length) {
    throw new AppError("price_rule_violated", priceProblems.map((p) => p.message).join("; "), {
      extensions: { issues: priceProblems },
    });
  }
  const taken = await takenCodes(
    env.DB,
    supplierId,
    input.skus.map((sku) => sku.code),
  );
  if (taken.length) {
    throw new AppError("sku_code_taken", `Already used: ${taken.join(", ")}`, { extensions: { codes: taken } });
  }

  const nowMs = Date.now();
  const product: ProductRow = {
    id: newId("prd", nowMs),
    supplierId,
    categoryId: category.id,
    titleZh: input.titleZh,
    titleEn: input.titleEn ?? null,
    descriptionZh: input.descriptionZh,
    descriptionEn: input.descriptionEn ?? null,
    attributes: JSON.stringify(input.attributes),
    status: input.status,
    salesCount: 0,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  const skuRows: SkuRow[] = input.skus.map((sku) => ({
    id: newId("sku", nowMs),
    productId: product.id,
    supplierId,
    code: sku.code,
    // Stored in attribute order, so every reader sees one spelling of each combination.
    options: JSON.stringify(Object.fromEntries(input.attributes.map((a) => [a.name, sku.options[a.name]]))),
    supplyPriceFen: sku.supplyPriceFen,
    suggestedRetailFen: sku.suggestedRetailFen,
    mapFen: sku.mapFen ?? null,
    weightGrams: sku.weightGrams,
    barcode: sku.barcode ?? null,
    stock: sku.stock,
    stockVersion: 0,
    status: "active",
    updatedAtMs: nowMs,
  }));
  const created = changeRow(supplierId, actor, {
    entityType: "product",
    entityId: product.id,
    field: "status",
    oldValue: null,
    newValue: product.status,
    atMs: nowMs,
  });
  const statements = [
    ...insertProductStatements(env.DB, product, skuRows),
    ...productIndexStatements(env.DB, product, category),
    insertChangeStatement(env.DB, created),
  ];
  if (product.status === "listed") {
    // Merchants' pool sees a product appear the same way as one that is listed later.
    const event = makeEvent(
      "product.status_changed",
      { productId: product.id, supplierId, from: "draft", to: "listed" },
      nowMs,
    );
    statements.push(statement(env.DB, outboxInsert(env.DB, event)));
  }
  await runBatchStatements(env.DB, statements);
  return productDetail(env.DB, supplierId, product.id);
}

const TRANSITIONS: Record<ProductStatus, ProductStatus[]> = {
  draft: ["listed"],
  listed: ["delisted"],
  delisted: ["listed"],
};

const TEXT_FIELDS = ["categoryId", "titleZh", "titleEn", "descriptionZh", "descriptionEn"] as const;

/** Texts and category are last-writer-wins; a status change applies only from the status it was checked against. */
export async function updateProduct(
  env: Env,
  supplierId: string,
  actor: ChangeActor,
  productId: string,
  patch: UpdateProductInput,
): Promise<ProductDetail> {
  await assertApprovedSupplier(env.DB, supplierId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await findOwnProduct(env.DB, supplierId, productId);
    const { status: nextStatus, ...texts } = patch;
    const statusChange = nextStatus !== undefined && nextStatus !== current.status ? nextStatus : undefined;
    if (statusChange && !TRANSITIONS[current.status].includes(statusChange)) {
      throw new AppError("invalid_transition", `A ${current.status} product cannot become ${statusChange}`, {
        extensions: { currentStatus: current.status },
      });
    }
    const changedTexts: Partial<Pick<ProductRow, (typeof TEXT_FIELDS)[number]>> = {};
    for (const field of TEXT_FIELDS) {
      const value = texts[field];
      if (value !== undefined && value !== current[field]) Object.assign(changedTexts, { [field]: value });
    }
    if (!statusChange && Object.keys(changedTexts).length === 0) return productDetail(env.DB, supplierId, productId);

    const category = await leafCategory(env.DB, changedTexts.categoryId ?? current.categoryId);
    const nowMs = Date.now();
    const next: ProductRow = {
      ...current,
      ...changedTexts,
      status: statusChange ?? current.status,
      updatedAtMs: nowMs,
    };
    const asRead = [productId, supplierId, current.status] as const;
    const statements: D1PreparedStatement[] = [];
    if (statusChange) {
      const row = changeRow(supplierId, actor, {
        entityType: "product",
        entityId: productId,
        field: "status",
        oldValue: current.status,
        newValue: statusChange,
        atMs: nowMs,
      });
      const event = makeEvent(
        "product.status_changed",
        { productId, supplierId, from: current.status, to: statusChange },
        nowMs,
      );
      statements.push(
        insertChangeWhen(env.DB, row, PRODUCT_AS_READ, ...asRead),
        outboxInsertWhen(env.DB, event, PRODUCT_AS_READ, ...asRead),
      );
    }
    if (Object.keys(changedTexts).length) statements.push(...productIndexStatements(env.DB, next, category));
    statements.push(
      updateProductStatement(env.DB, supplierId, productId, current.status, {
        ...changedTexts,
        status: next.status,
        updatedAtMs: nowMs,
      }),
    );
    const results = await runBatchStatements(env.DB, statements);
    if (results.at(-1)?.meta.changes === 1) return productDetail(env.DB, supplierId, productId);
  }
  // The status kept moving under us; put the search row back in line with what is stored.
  await reindexProduct(env.DB, supplierId, productId);
  throw new AppError("conflict", "The product changed meanwhile; reload and try again");
}

export const MAX_IMAGES_PER_PRODUCT = 20;

/** Records an image already stored in R2 as the product's last one. */
export async function recordProductImage(
  d1: D1Database,
  supplierId: string,
  productId: string,
  image: Pick<ImageRow, "id" | "r2Key" | "contentType" | "alt">,
) {
  const added = await insertImageWithin(
    d1,
    { ...image, productId, supplierId, createdAtMs: Date.now() },
    MAX_IMAGES_PER_PRODUCT,
  );
  if (!added) {
    throw new AppError("image_limit_reached", `A product has at most ${MAX_IMAGES_PER_PRODUCT} images`);
  }
  const row = await findImage(d1, supplierId, productId, image.id);
  if (!row) throw new AppError("not_found", `No image ${image.id}`);
  return imageView(row);
}

/** The supplier's own image of its own product; anyone else's is 404, as if it did not exist. */
export async function findOwnImage(d1: D1Database, supplierId: string, productId: string, imageId: string) {
  const row = await findImage(d1, supplierId, productId, imageId);
  if (!row) throw new AppError("not_found", `No image ${imageId} on product ${productId}`);
  return row;
}

/** Removes the image's row and returns it, so the caller can delete the stored object. */
export async function forgetProductImage(d1: D1Database, supplierId: string, productId: string, imageId: string) {
  const row = await deleteImage(d1, supplierId, productId, imageId);
  if (!row) throw new AppError("not_found", `No image ${imageId} on product ${productId}`);
  return row;
}

export async function reindexProduct(d1: D1Database, supplierId: string, productId: string): Promise<void> {
  const product = await findOwnProduct(d1, supplierId, productId);
  const category = await findCategory(d1, product.categoryId);
  await runBatchStatements(d1, productIndexStatements(d1, product, category));
}

export async function productHistory(d1: D1Database, supplierId: string, productId: string) {
  await findOwnProduct(d1, supplierId, productId);
  return changesOfProduct(d1, supplierId, productId, 500);
}
