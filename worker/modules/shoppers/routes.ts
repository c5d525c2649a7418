/**
 * @module shoppers/routes: `/api/shop/*` on a storefront host — one-time-code sign-in and the shopper's profile.
 */
import { AppError } from "../../errors";
import { createRoute, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { requireShopHost } from "../../middleware/shop";
import { requireShopper } from "../auth/identity";
import { setSessionCookies } from "../auth/sessions";
import { CodeSentSchema, SendCodeBody, ShopperSchema, VerifyCodeBody } from "./schemas";
import { memberSince, sendSignInCode, verifySignInCode } from "./service";

export const shopperRoutes = router();

shopperRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/code",
    tags: ["Shoppers"],
    summary: "Send a 6-digit sign-in code by SMS (locally: to the dev outbox)",
    request: { body: jsonBody(SendCodeBody) },
    responses: {
      202: jsonOk(CodeSentSchema, "Code sent; it is never part of this response"),
      ...problems("validation_failed", "shop_not_found", "rate_limited"),
    },
  }),
  async (c) => {
    const shop = requireShopHost(c);
    return c.json(await sendSignInCode(c.env, c.req.raw, shop, c.req.valid("json").phone), 202);
  },
);

shopperRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/verify",
    tags: ["Shoppers"],
    summary: "Exchange the code for a shopper session on this shop",
    request: { body: jsonBody(VerifyCodeBody) },
    responses: {
      200: jsonOk(ShopperSchema, "Signed in on this shop (a membership is created on first sign-in)"),
      ...problems(
        "validation_failed",
        "code_invalid",
        "employee_code_required",
        "employee_code_invalid",
        "shop_not_found",
        "rate_limited",
      ),
    },
  }),
  async (c) => {
    const shop = requireShopHost(c);
    const { phone, code, employeeCode } = c.req.valid("json");
    const result = await verifySignInCode(c.env, shop, phone, code, employeeCode);
    setSessionCookies(c, result.session);
    return c.json(
      {
        shopper: { id: result.shopperId, phone },
        shop: { id: shop.id, slug: shop.slug, name: shop.name },
        memberSinceMs: result.memberSinceMs,
        csrfToken: result.session.csrfToken,
        expiresAtMs: result.session.expiresAtMs,
      },
      200,
    );
  },
);

shopperRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me",
    tags: ["Shoppers"],
    summary: "The signed-in shopper on this shop",
    responses: {
      200: jsonOk(ShopperSchema, "The shopper and their membership of this shop"),
      ...problems("unauthenticated", "session_expired", "forbidden", "shop_not_found"),
    },
  }),
  async (c) => {
    const shop = requireShopHost(c);
    const shopper = requireShopper(c, shop.id);
    const since = await memberSince(c.env, shop.id, shopper.shopperId);
    if (since === undefined) throw new AppError("unauthenticated", "Sign in on this shop");
    return c.json(
      {
        shopper: { id: shopper.shopperId, phone: shopper.phone },
        shop: { id: shop.id, slug: shop.slug, name: shop.name },
        memberSinceMs: since,
        csrfToken: shopper.session.csrfToken,
        expiresAtMs: shopper.session.expiresAtMs,
      },
      200,
    );
  },
);
