/**
 * @module onboarding/routes: `/api/onboarding/*` and `/api/invitations/*` — open a shop, apply as a supplier,
 * check a shop address, and accept a staff invitation.
 */
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { StaffSessionSchema } from "../auth/schemas";
import { setSessionCookies } from "../auth/sessions";
import { acceptInvitation, previewInvitation } from "../invitations/service";
import {
  AcceptInvitationBody,
  InvitationPreviewSchema,
  InvitationTokenParam,
  MerchantSignUpBody,
  OnboardedSchema,
  SlugAvailabilitySchema,
  SlugQuery,
  SupplierApplyBody,
} from "./schemas";
import { applyAsSupplier, shopUrl, signUpMerchant, slugAvailability } from "./service";

export const onboardingRoutes = router();

onboardingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/onboarding/slug-availability",
    tags: ["Onboarding"],
    summary: "Is this shop address free?",
    request: { query: SlugQuery },
    responses: {
      200: jsonOk(SlugAvailabilitySchema, "Whether the slug can be taken, and why not"),
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const { slug } = c.req.valid("query");
    const result = await slugAvailability(c.env, slug);
    return c.json({ slug, ...result, shopUrl: shopUrl(c.env, c.req.raw, slug) }, 200);
  },
);

onboardingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/onboarding/merchants",
    tags: ["Onboarding"],
    summary: "Open a shop: creates the merchant, its owner account and a session",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(MerchantSignUpBody) },
    responses: {
      201: jsonOk(OnboardedSchema, "Shop opened; the owner is signed in"),
      ...problems("validation_failed", "slug_taken", "email_taken", "rate_limited", "idempotency_key_reused"),
    },
  }),
  async (c) => {
    const { session, view } = await signUpMerchant(c.env, c.req.raw, c.req.valid("json"));
    setSessionCookies(c, session);
    return c.json(view, 201);
  },
);

onboardingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/onboarding/suppliers",
    tags: ["Onboarding"],
    summary: "Apply as a supplier (a platform admin approves before goods can be listed)",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(SupplierApplyBody) },
    responses: {
      201: jsonOk(OnboardedSchema, "Application received; the applicant is signed in with status pending"),
      ...problems("validation_failed", "email_taken", "rate_limited", "idempotency_key_reused"),
    },
  }),
  async (c) => {
    const { session, view } = await applyAsSupplier(c.env, c.req.raw, c.req.valid("json"));
    setSessionCookies(c, session);
    return c.json(view, 201);
  },
);

onboardingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/invitations/{token}",
    tags: ["Onboarding"],
    summary: "What an invitation is for",
    request: { params: InvitationTokenParam },
    responses: {
      200: jsonOk(InvitationPreviewSchema, "The open invitation"),
      ...problems("validation_failed", "invitation_invalid"),
    },
  }),
  async (c) => c.json(await previewInvitation(c.env.DB, c.req.valid("param").token), 200),
);

onboardingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/invitations/accept",
    tags: ["Onboarding"],
    summary: "Accept an invitation with a new account (name + password) or the invited email's existing password",
    request: { body: jsonBody(AcceptInvitationBody) },
    responses: {
      200: jsonOk(StaffSessionSchema, "Joined; signed in"),
      ...problems("validation_failed", "invitation_invalid", "invalid_credentials", "already_member"),
    },
  }),
  async (c) => {
    const { session, view } = await acceptInvitation(c.env, c.req.valid("json"));
    setSessionCookies(c, session);
    return c.json(view, 200);
  },
);
