/**
 * @module shipping/routes: `/api/supplier/shipping-template` — what a supplier's packages cost to ship, for the
 * console (session) and integrations (`Bearer sk_sup_…`).
 */
import { createRoute, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { requireOrg } from "../auth/identity";
import { ShippingTemplateBody, ShippingTemplateResponse } from "./schemas";
import { saveShippingTemplate, shippingTemplateOf } from "./service";

export const shippingRoutes = router();
const tags = ["Supplier shipping"];
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const supplier = { allowApiKey: true } as const;

shippingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/shipping-template",
    tags,
    summary: "Your shipping template (null until saved: your packages ship free)",
    responses: { 200: jsonOk(ShippingTemplateResponse, "The template, or null"), ...denied },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await shippingTemplateOf(c.env.DB, actor.orgId), 200);
  },
);

shippingRoutes.openapi(
  createRoute({
    method: "put",
    path: "/shipping-template",
    tags,
    summary: "Save your shipping template (approved suppliers); applies to orders quoted from now on",
    request: { body: jsonBody(ShippingTemplateBody) },
    responses: {
      200: jsonOk(ShippingTemplateResponse, "Saved"),
      ...denied,
      ...problems("validation_failed", "supplier_not_approved"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await saveShippingTemplate(c.env.DB, actor.orgId, c.req.valid("json")), 200);
  },
);
