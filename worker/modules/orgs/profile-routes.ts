/**
 * @module orgs/profile-routes: `/api/merchant/profile` (the shop's name and theme) and `/api/supplier/profile`.
 */
import { AppError } from "../../errors";
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireOrg } from "../auth/identity";
import { findMerchant, findSupplier, updateMerchantProfile, updateSupplierProfile } from "./repository";
import { MerchantProfilePatch, MerchantProfileSchema, SupplierProfilePatch, SupplierProfileSchema } from "./schemas";

const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed");

export const merchantProfileRoutes = router();

merchantProfileRoutes.openapi(
  createRoute({
    method: "get",
    path: "/profile",
    tags: ["Merchant console"],
    summary: "The shop's profile",
    responses: { 200: jsonOk(MerchantProfileSchema, "The caller's shop"), ...denied },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { allowApiKey: true });
    const row = await findMerchant(c.env.DB, actor.orgId);
    if (!row) throw new AppError("not_found");
    return c.json(row, 200);
  },
);

merchantProfileRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/profile",
    tags: ["Merchant console"],
    summary: "Rename the shop or change its theme colour (owners only)",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(MerchantProfilePatch) },
    responses: { 200: jsonOk(MerchantProfileSchema, "Updated shop"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"] });
    const patch = c.req.valid("json");
    const row = Object.keys(patch).length
      ? await updateMerchantProfile(c.env.DB, actor.orgId, patch)
      : await findMerchant(c.env.DB, actor.orgId);
    if (!row) throw new AppError("not_found");
    return c.json(row, 200);
  },
);

export const supplierProfileRoutes = router();

supplierProfileRoutes.openapi(
  createRoute({
    method: "get",
    path: "/profile",
    tags: ["Supplier console"],
    summary: "The supplier's profile and approval status",
    responses: { 200: jsonOk(SupplierProfileSchema, "The caller's supplier"), ...denied },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", { allowApiKey: true });
    const row = await findSupplier(c.env.DB, actor.orgId);
    if (!row) throw new AppError("not_found");
    return c.json(row, 200);
  },
);

supplierProfileRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/profile",
    tags: ["Supplier console"],
    summary: "Update company and contact details (owners only)",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(SupplierProfilePatch) },
    responses: { 200: jsonOk(SupplierProfileSchema, "Updated supplier"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", { roles: ["owner"] });
    const patch = c.req.valid("json");
    const row = Object.keys(patch).length
      ? await updateSupplierProfile(c.env.DB, actor.orgId, patch)
      : await findSupplier(c.env.DB, actor.orgId);
    if (!row) throw new AppError("not_found");
    return c.json(row, 200);
  },
);
