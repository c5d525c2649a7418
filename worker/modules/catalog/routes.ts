/**
 * @module catalog/routes: `/api/supplier/products` — a supplier's own goods, for the console (session) and for
 * integrations (`Bearer sk_sup_…`). Another supplier's product is 404, exactly like a missing one.
 */
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireOrg } from "../auth/identity";
import { listOwnProducts } from "./listing";
import { skuMatrix } from "./rules";
import {
  ChangeSchema,
  CreateProductBody,
  ListProductsQuery,
  ProductParams,
  ProductSchema,
  ProductSummarySchema,
  SkuMatrixBody,
  SkuMatrixSchema,
  UpdateProductBody,
} from "./schemas";
import { changeActorOf, createProduct, productDetail, productHistory, updateProduct } from "./service";

export const productRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const tags = ["Supplier goods"];
const supplier = { allowApiKey: true } as const;

productRoutes.openapi(
  createRoute({
    method: "post",
    path: "/products",
    tags,
    summary: "Create a product with its SKUs (one per combination of attribute values)",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(CreateProductBody) },
    responses: {
      201: jsonOk(ProductSchema, "The product with its SKUs"),
      ...denied,
      ...problems(
        "validation_failed",
        "supplier_not_approved",
        "sku_code_taken",
        "unknown_category",
        "category_not_leaf",
        "sku_matrix_mismatch",
        "price_rule_violated",
      ),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    const product = await createProduct(c.env, actor.orgId, changeActorOf(actor), c.req.valid("json"));
    c.header("location", `/api/supplier/products/${product.id}`);
    return c.json(product, 201);
  },
);

productRoutes.openapi(
  createRoute({
    method: "post",
    path: "/products/sku-matrix",
    tags,
    summary: "The combinations a set of attributes generates (the rows of the SKU grid)",
    request: { body: jsonBody(SkuMatrixBody) },
    responses: {
      200: jsonOk(SkuMatrixSchema, "First attribute varies slowest"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    requireOrg(c, "supplier", supplier);
    const combinations = skuMatrix(c.req.valid("json").attributes);
    return c.json({ combinations, count: combinations.length }, 200);
  },
);

productRoutes.openapi(
  createRoute({
    method: "get",
    path: "/products",
    tags,
    summary: "The supplier's own products, newest first; `q` matches title words or an exact SKU code",
    request: { query: ListProductsQuery },
    responses: {
      200: jsonOk(
        z.object({ items: z.array(ProductSummarySchema), nextCursor: z.string().nullable() }),
        "A page of products",
      ),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await listOwnProducts(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

productRoutes.openapi(
  createRoute({
    method: "get",
    path: "/products/{id}",
    tags,
    summary: "One product with its SKUs and images",
    request: { params: ProductParams },
    responses: { 200: jsonOk(ProductSchema, "The product"), ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await productDetail(c.env.DB, actor.orgId, c.req.valid("param").id), 200);
  },
);

productRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/products/{id}",
    tags,
    summary: "Edit texts or category, or list / delist (draft→listed, listed→delisted, delisted→listed)",
    request: { params: ProductParams, body: jsonBody(UpdateProductBody) },
    responses: {
      200: jsonOk(ProductSchema, "The product after the change"),
      ...denied,
      ...problems(
        "validation_failed",
        "supplier_not_approved",
        "not_found",
        "unknown_category",
        "category_not_leaf",
        "invalid_transition",
        "conflict",
      ),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    const { id } = c.req.valid("param");
    return c.json(await updateProduct(c.env, actor.orgId, changeActorOf(actor), id, c.req.valid("json")), 200);
  },
);

productRoutes.openapi(
  createRoute({
    method: "get",
    path: "/products/{id}/history",
    tags,
    summary: "Who changed the product's status and its SKUs' prices, MAP, stock or status, newest first",
    request: { params: ProductParams },
    responses: {
      200: jsonOk(z.object({ items: z.array(ChangeSchema) }), "At most 500 changes"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json({ items: await productHistory(c.env.DB, actor.orgId, c.req.valid("param").id) }, 200);
  },
);
