/**
 * @module auth/routes: `/api/auth/*` — staff sign-in, the current session and sign-out.
 */
import { createRoute, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import { requireUser } from "./identity";
import { SignInBody, StaffSessionSchema } from "./schemas";
import { signIn } from "./service";
import { clearSessionCookies, revokeSession, setSessionCookies } from "./sessions";

export const authRoutes = router();

authRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sign-in",
    tags: ["Identity"],
    summary: "Staff sign-in (platform, supplier and merchant consoles)",
    request: { body: jsonBody(SignInBody) },
    responses: {
      200: jsonOk(StaffSessionSchema, "Signed in; sets the ec_session (HttpOnly) and ec_csrf cookies"),
      ...problems("validation_failed", "invalid_credentials", "rate_limited"),
    },
  }),
  async (c) => {
    const { session, view } = await signIn(c.env, c.req.raw, c.req.valid("json"));
    setSessionCookies(c, session);
    return c.json(view, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: "get",
    path: "/session",
    tags: ["Identity"],
    summary: "Who is signed in",
    responses: {
      200: jsonOk(StaffSessionSchema, "The signed-in staff user"),
      ...problems("unauthenticated", "session_expired", "forbidden"),
    },
  }),
  (c) => {
    const user = requireUser(c);
    return c.json(
      {
        user: { id: user.userId, email: user.email, name: user.name },
        memberships: user.memberships,
        csrfToken: user.session.csrfToken,
        expiresAtMs: user.session.expiresAtMs,
      },
      200,
    );
  },
);

authRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sign-out",
    tags: ["Identity"],
    summary: "End the current staff or shopper session",
    responses: {
      200: jsonOk(z.object({ signedOut: z.literal(true) }), "The session is revoked and its cookies cleared"),
      ...problems("unauthenticated", "csrf_failed"),
    },
  }),
  async (c) => {
    const identity = c.get("identity");
    if (identity.kind === "user" || identity.kind === "shopper")
      await revokeSession(c.env.DB, identity.session.tokenHash);
    else requireUser(c);
    clearSessionCookies(c);
    return c.json({ signedOut: true as const }, 200);
  },
);
