/**
 * @module catalog/sku-routes: `/api/supplier/skus` — one SKU from the console, or many by supplier SKU code
 * from an ERP.
 */
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireOrg } from "../auth/identity";
import { BulkResultSchema, BulkUpdateBody, SkuParams, SkuSchema, UpdateSkuBody } from "./schemas";
import { changeActorOf } from "./service";
import { bulkUpdateSkus, updateSku } from "./sku-service";

export const skuRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const tags = ["Supplier goods"];

skuRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/skus/{id}",
    tags,
    summary: "Change a SKU's prices, MAP, stock, weight, barcode or status",
    request: { params: SkuParams, body: jsonBody(UpdateSkuBody) },
    responses: {
      200: jsonOk(SkuSchema, "The SKU after the change"),
      ...denied,
      ...problems("validation_failed", "supplier_not_approved", "not_found", "price_rule_violated", "conflict"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", { allowApiKey: true });
    const sku = await updateSku(c.env, actor.orgId, changeActorOf(actor), c.req.valid("param").id, c.req.valid("json"));
    return c.json(sku, 200);
  },
);

skuRoutes.openapi(
  createRoute({
    method: "post",
    path: "/skus/bulk-update",
    tags,
    summary: "Update stock and prices of up to 500 SKUs by supplier SKU code; each item gets its own result",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(BulkUpdateBody) },
    responses: {
      200: jsonOk(
        z.object({
          results: z.array(BulkResultSchema),
          summary: z.object({
            updated: z.number().int(),
            unchanged: z.number().int(),
            notFound: z.number().int(),
            invalid: z.number().int(),
            conflict: z.number().int(),
          }),
        }),
        "Per-item outcomes in the order sent; unknown codes are `not_found`, not a failure of the whole request",
      ),
      ...denied,
      ...problems("validation_failed", "supplier_not_approved"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", { allowApiKey: true });
    return c.json(await bulkUpdateSkus(c.env, actor.orgId, changeActorOf(actor), c.req.valid("json")), 200);
  },
);
