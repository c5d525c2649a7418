/**
 * @module cart/routes: `/api/shop/cart` on a storefront host — the cart of the shopper signed in on this shop, or of
 * the guest named by the signed `ec_guest` cookie. Every answer is the whole cart, recomputed from current listings.
 */
import { createRoute, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { requireShopHost } from "../../middleware/shop";
import { cartOwnerOf } from "./owner";
import { AddLineBody, CartSchema, LineParams, SetQuantityBody } from "./schemas";
import { acknowledgePrices, addLine, removeLine, setQuantity, viewCart } from "./service";

export const cartRoutes = router();
const tags = ["Shopper cart"];
const denied = problems("forbidden", "csrf_failed", "shop_not_found", "unavailable");
const ok = jsonOk(CartSchema, "The cart now");

cartRoutes.openapi(
  createRoute({
    method: "get",
    path: "/cart",
    tags,
    summary: "Your cart here, with current prices, stock and what changed (merges a guest cart after sign-in)",
    responses: { 200: ok, ...denied },
  }),
  async (c) => {
    const owner = await cartOwnerOf(c, requireShopHost(c).id, false);
    return c.json(await viewCart(c.env.DB, owner), 200);
  },
);

cartRoutes.openapi(
  createRoute({
    method: "post",
    path: "/cart/lines",
    tags,
    summary: "Add units of a SKU this shop sells (same SKU again adds up); the price is always the listing's",
    request: { body: jsonBody(AddLineBody) },
    responses: {
      200: ok,
      ...denied,
      ...problems("validation_failed", "sku_not_in_shop", "listing_unavailable", "cart_full", "quantity_limit"),
    },
  }),
  async (c) => {
    const owner = await cartOwnerOf(c, requireShopHost(c).id, true);
    return c.json(await addLine(c.env.DB, owner, c.req.valid("json")), 200);
  },
);

cartRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/cart/lines/{skuId}",
    tags,
    summary: "Set a line's quantity (1–99)",
    request: { params: LineParams, body: jsonBody(SetQuantityBody) },
    responses: { 200: ok, ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const owner = await cartOwnerOf(c, requireShopHost(c).id, true);
    const { skuId } = c.req.valid("param");
    return c.json(await setQuantity(c.env.DB, owner, skuId, c.req.valid("json").quantity), 200);
  },
);

cartRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/cart/lines/{skuId}",
    tags,
    summary: "Remove a line",
    request: { params: LineParams },
    responses: { 200: ok, ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const owner = await cartOwnerOf(c, requireShopHost(c).id, true);
    return c.json(await removeLine(c.env.DB, owner, c.req.valid("param").skuId), 200);
  },
);

cartRoutes.openapi(
  createRoute({
    method: "post",
    path: "/cart/acknowledge",
    tags,
    summary: "Accept the current prices: clears every price_changed flag",
    responses: { 200: ok, ...denied },
  }),
  async (c) => {
    const owner = await cartOwnerOf(c, requireShopHost(c).id, true);
    return c.json(await acknowledgePrices(c.env.DB, owner), 200);
  },
);
