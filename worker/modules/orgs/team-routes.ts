/**
 * @module orgs/team-routes: what every supplier and merchant console shares — staff, invitations, API keys and
 * the notification inbox. Mounted at `/api/merchant` and `/api/supplier`; every query is scoped to the caller's org.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createRoute, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import type { AppEnv } from "../../types";
import { createApiKey, listApiKeys, revokeApiKey } from "../api-keys/service";
import { requireOrg } from "../auth/identity";
import { inviteStaff, listStaffInvitations, revokeStaffInvitation } from "../invitations/service";
import { listNotifications } from "../notifications/repository";
import { type StaffOrgType, staffOf } from "./repository";
import {
  ApiKeySchema,
  CreateApiKeyBody,
  CreatedApiKeySchema,
  CreatedInvitationSchema,
  IdParam,
  InvitationSchema,
  InviteBody,
  NotificationSchema,
  StaffMemberSchema,
} from "./schemas";

const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed");

export function teamRoutes(orgType: StaffOrgType): OpenAPIHono<AppEnv> {
  const app = router();
  const tag = orgType === "merchant" ? "Merchant console" : "Supplier console";

  app.openapi(
    createRoute({
      method: "get",
      path: "/staff",
      tags: [tag],
      summary: "Team members",
      responses: {
        200: jsonOk(z.object({ items: z.array(StaffMemberSchema) }), "Members of this organisation"),
        ...denied,
      },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType);
      return c.json({ items: await staffOf(c.env.DB, actor) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/invitations",
      tags: [tag],
      summary: "Invitations sent by this organisation",
      responses: {
        200: jsonOk(z.object({ items: z.array(InvitationSchema) }), "Invitations, newest first"),
        ...denied,
      },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType, { roles: ["owner"] });
      return c.json({ items: await listStaffInvitations(c.env.DB, actor) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/invitations",
      tags: [tag],
      summary: "Invite a staff member by email (owners only)",
      // No Idempotency-Key here: the stored response would keep the invitation token in plain text for 24 h.
      request: { body: jsonBody(InviteBody) },
      responses: {
        201: jsonOk(CreatedInvitationSchema, "Invitation emailed"),
        ...denied,
        ...problems("validation_failed", "already_member"),
      },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType, { roles: ["owner"] });
      const origin = new URL(c.req.url).origin;
      return c.json(await inviteStaff(c.env, actor, actor.actorId, c.req.valid("json").email, origin), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/invitations/{id}",
      tags: [tag],
      summary: "Withdraw an open invitation",
      request: { params: IdParam("inv") },
      responses: {
        200: jsonOk(InvitationSchema, "Invitation revoked"),
        ...denied,
        ...problems("not_found", "validation_failed"),
      },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType, { roles: ["owner"] });
      return c.json(await revokeStaffInvitation(c.env.DB, actor, c.req.valid("param").id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api-keys",
      tags: [tag],
      summary: "Integration API keys (secrets are never shown again)",
      responses: { 200: jsonOk(z.object({ items: z.array(ApiKeySchema) }), "Keys, newest first"), ...denied },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType, { roles: ["owner"] });
      return c.json({ items: await listApiKeys(c.env.DB, actor) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api-keys",
      tags: [tag],
      summary: "Create an API key for an ERP or other integration (owners only)",
      // No Idempotency-Key here: the stored response would keep the secret in plain text for 24 h.
      request: { body: jsonBody(CreateApiKeyBody) },
      responses: {
        201: jsonOk(CreatedApiKeySchema, "The key, shown once"),
        ...denied,
        ...problems("validation_failed"),
      },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType, { roles: ["owner"] });
      return c.json(await createApiKey(c.env.DB, actor, c.req.valid("json").name, actor.actorId), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api-keys/{id}",
      tags: [tag],
      summary: "Revoke an API key; requests with it fail from now on",
      request: { params: IdParam("key") },
      responses: { 200: jsonOk(ApiKeySchema, "Key revoked"), ...denied, ...problems("not_found", "validation_failed") },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType, { roles: ["owner"] });
      return c.json(await revokeApiKey(c.env.DB, actor, c.req.valid("param").id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/notifications",
      tags: [tag],
      summary: "Inbox of this organisation",
      responses: { 200: jsonOk(z.object({ items: z.array(NotificationSchema) }), "Newest first"), ...denied },
    }),
    async (c) => {
      const actor = requireOrg(c, orgType, { allowApiKey: true });
      const rows = await listNotifications(c.env.DB, actor);
      return c.json(
        {
          items: rows.map(({ id, kind, title, body, createdAtMs, readAtMs }) => ({
            id,
            kind,
            title,
            body,
            createdAtMs,
            readAtMs,
          })),
        },
        200,
      );
    },
  );

  return app;
}
