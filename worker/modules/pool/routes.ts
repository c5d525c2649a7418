/**
 * @module pool/routes: `/api/merchant/pool` — merchants (console or API key) browse the shared supply pool.
 */
import { createRoute, jsonOk, problems, router } from "../../lib/openapi";
import { requireOrg } from "../auth/identity";
import { PoolPageSchema, PoolProductSchema, PoolQuery, ProductIdParam } from "./schemas";
import { browsePool, poolProduct } from "./service";

export const poolRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "api_key_invalid");
const tags = ["Merchant catalog"];

poolRoutes.openapi(
  createRoute({
    method: "get",
    path: "/pool",
    tags,
    summary: "Browse the supply pool: search, filter by category, supply price, supplier grade and margin",
    request: { query: PoolQuery },
    responses: {
      200: jsonOk(PoolPageSchema, "One page; pass nextCursor as cursor for the next"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await browsePool(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

poolRoutes.openapi(
  createRoute({
    method: "get",
    path: "/pool/{productId}",
    tags,
    summary: "One pool product with every active SKU and your price floor for each",
    request: { params: ProductIdParam },
    responses: {
      200: jsonOk(PoolProductSchema, "The product as you may list it"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await poolProduct(c.env.DB, actor.orgId, c.req.valid("param").productId), 200);
  },
);
