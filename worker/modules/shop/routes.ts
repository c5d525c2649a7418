/**
 * @module shop/routes: `/api/merchant/shop-settings`, `/api/merchant/logo` and `/api/merchant/welfare-codes` for a
 * merchant's own shop,
 * and `/api/platform/settings` (administrators) for the platform-wide default margin.
 */
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireOrg, requirePlatformAdmin } from "../auth/identity";
import {
  PlatformSettingsBody,
  PlatformSettingsSchema,
  ShopLogoBody,
  ShopLogoSchema,
  ShopSettingsBody,
  ShopSettingsSchema,
  WelfareCodeSchema,
  WelfareCodesBody,
  WelfareCodesQuery,
  WelfareImportSchema,
} from "./schemas";
import {
  importWelfareCodes,
  platformSettings,
  removeShopLogo,
  savePlatformSettings,
  saveShopSettings,
  shopSettingsOf,
  uploadShopLogo,
  welfareCodesOf,
} from "./service";

const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");

export const shopSettingsRoutes = router();
const tags = ["Merchant shop"];

shopSettingsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/shop-settings",
    tags,
    summary: "Your shop's template, minimum margin, home page sections and logo",
    responses: { 200: jsonOk(ShopSettingsSchema, "Current settings (defaults until first saved)"), ...denied },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    return c.json(await shopSettingsOf(c.env.DB, actor.orgId), 200);
  },
);

shopSettingsRoutes.openapi(
  createRoute({
    method: "put",
    path: "/shop-settings",
    tags,
    summary: "Save the shop's settings (owners only); cached shop pages are refreshed",
    request: { body: jsonBody(ShopSettingsBody) },
    responses: { 200: jsonOk(ShopSettingsSchema, "Saved"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"] });
    return c.json(await saveShopSettings(c.env.DB, actor.orgId, c.req.valid("json")), 200);
  },
);

shopSettingsRoutes.openapi(
  createRoute({
    method: "post",
    path: "/logo",
    tags,
    summary: "Upload the shop's logo (owners only; PNG, JPEG or WebP, at most 2 MB), replacing any earlier one",
    request: { body: ShopLogoBody },
    responses: {
      200: jsonOk(ShopLogoSchema, "Stored; cached shop pages are refreshed"),
      ...denied,
      ...problems("validation_failed", "payload_too_large", "unsupported_media_type"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"] });
    return c.json(await uploadShopLogo(c.env, actor.orgId, c.req.raw), 200);
  },
);

shopSettingsRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/logo",
    tags,
    summary: "Remove the shop's logo (owners only); the header shows the shop's name again",
    responses: { 204: { description: "Removed (or there was none)" }, ...denied },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"] });
    await removeShopLogo(c.env, actor.orgId);
    return c.body(null, 204);
  },
);

shopSettingsRoutes.openapi(
  createRoute({
    method: "post",
    path: "/welfare-codes",
    tags,
    summary: "Add employee codes for a company-welfare shop (owners only; up to 1000 a request)",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(WelfareCodesBody) },
    responses: { 200: jsonOk(WelfareImportSchema, "Stored"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"] });
    return c.json(await importWelfareCodes(c.env.DB, actor.orgId, c.req.valid("json")), 200);
  },
);

shopSettingsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/welfare-codes",
    tags,
    summary: "Employee codes and whether they were claimed (owners only)",
    request: { query: WelfareCodesQuery },
    responses: {
      200: jsonOk(z.object({ items: z.array(WelfareCodeSchema), nextCursor: z.string().nullable() }), "By code"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"] });
    return c.json(await welfareCodesOf(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

export const platformSettingsRoutes = router();

platformSettingsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/settings",
    tags: ["Platform console"],
    summary: "Platform-wide settings: the default minimum margin of every shop",
    responses: { 200: jsonOk(PlatformSettingsSchema, "Current values"), ...denied },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await platformSettings(c.env.DB), 200);
  },
);

platformSettingsRoutes.openapi(
  createRoute({
    method: "put",
    path: "/settings",
    tags: ["Platform console"],
    summary: "Change the default minimum margin (shops with their own keep theirs)",
    request: { body: jsonBody(PlatformSettingsBody) },
    responses: { 200: jsonOk(PlatformSettingsSchema, "Saved"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await savePlatformSettings(c.env.DB, c.req.valid("json")), 200);
  },
);
