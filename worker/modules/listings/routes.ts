/**
 * @module listings/routes: `/api/merchant/listings` — pool products in the merchant's shop at the merchant's prices.
 */
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireOrg } from "../auth/identity";
import {
  CreateListingBody,
  ListingDetailSchema,
  ListingIdParam,
  ListingPageSchema,
  ListingsQuery,
  UpdateListingBody,
} from "./schemas";
import { createListing, getListing, listListings, removeListing, updateListing } from "./service";

export const listingRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const tags = ["Merchant catalog"];

listingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/listings",
    tags,
    summary: "List a pool product in your shop, with a price for every active SKU",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(CreateListingBody) },
    responses: {
      201: jsonOk(ListingDetailSchema, "Listed and live in your shop"),
      ...denied,
      ...problems("validation_failed", "not_found", "listing_exists", "price_below_guardrail"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await createListing(c.env.DB, actor.orgId, c.req.valid("json")), 201);
  },
);

listingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/listings",
    tags,
    summary: "Your listings, newest first, with price range, pause reason and stock state",
    request: { query: ListingsQuery },
    responses: { 200: jsonOk(ListingPageSchema, "One page"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await listListings(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

listingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/listings/{id}",
    tags,
    summary: "One listing with each SKU's price, floor and stock",
    request: { params: ListingIdParam },
    responses: {
      200: jsonOk(ListingDetailSchema, "The listing"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await getListing(c.env.DB, actor.orgId, c.req.valid("param").id), 200);
  },
);

listingRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/listings/{id}",
    tags,
    summary: "Change prices, pause, or turn a listing back on (the guardrails are checked again)",
    request: { params: ListingIdParam, body: jsonBody(UpdateListingBody) },
    responses: {
      200: jsonOk(ListingDetailSchema, "The listing after the change"),
      ...denied,
      ...problems("validation_failed", "not_found", "invalid_transition", "conflict", "price_below_guardrail"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await updateListing(c.env.DB, actor.orgId, c.req.valid("param").id, c.req.valid("json")), 200);
  },
);

listingRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/listings/{id}",
    tags,
    summary: "Take a listing out of your shop (it can be picked again from the pool)",
    request: { params: ListingIdParam },
    responses: {
      200: jsonOk(ListingDetailSchema, "The listing, now removed"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await removeListing(c.env.DB, actor.orgId, c.req.valid("param").id), 200);
  },
);
