/**
 * @module authenticate: turns a Bearer API key or the session cookie into `c.var.identity`, and enforces CSRF
 * on cookie-authenticated writes. Routes then demand a kind of caller with the guards in auth/identity.
 */
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";
import { secretsEqual } from "../lib/crypto";
import { authenticateApiKey } from "../modules/api-keys/service";
import type { Identity } from "../modules/auth/identity";
import { lookupSession, sessionTokenFrom } from "../modules/auth/sessions";
import { findUser, membershipsOf } from "../modules/orgs/repository";
import { findShopper } from "../modules/shoppers/repository";
import type { AppEnv } from "../types";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function identityFromSession(d1: D1Database, token: string): Promise<Identity> {
  const lookup = await lookupSession(d1, token);
  if (lookup.state === "none") return { kind: "anonymous", sessionExpired: false };
  if (lookup.state === "expired") return { kind: "anonymous", sessionExpired: true };
  const { session } = lookup;
  const ref = { tokenHash: session.tokenHash, csrfToken: session.csrfToken, expiresAtMs: session.expiresAtMs };
  if (session.subjectType === "user") {
    const user = await findUser(d1, session.subjectId);
    if (!user) return { kind: "anonymous", sessionExpired: true };
    const memberships = await membershipsOf(d1, user.id);
    return { kind: "user", userId: user.id, email: user.email, name: user.name, memberships, session: ref };
  }
  const shopper = await findShopper(d1, session.subjectId);
  if (!shopper || !session.merchantId) return { kind: "anonymous", sessionExpired: true };
  return { kind: "shopper", shopperId: shopper.id, phone: shopper.phone, merchantId: session.merchantId, session: ref };
}

/** Resolves the identity of any request (API or page) without throwing for a missing or ended session. */
export async function identify(d1: D1Database, sessionToken: string | undefined): Promise<Identity> {
  return sessionToken ? identityFromSession(d1, sessionToken) : { kind: "anonymous", sessionExpired: false };
}

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const authorization = c.req.header("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("api_key_invalid", "Authorization must be `Bearer <api key>`");
    const key = await authenticateApiKey(c.env.DB, match[1], (work) => c.executionCtx.waitUntil(work));
    c.set("identity", { kind: "api_key", keyId: key.id, orgType: key.orgType, orgId: key.orgId });
    return next();
  }
  const identity = await identify(c.env.DB, sessionTokenFrom(c));
  c.set("identity", identity);
  if (!SAFE_METHODS.has(c.req.method) && (identity.kind === "user" || identity.kind === "shopper")) {
    const sent = c.req.header("x-csrf-token") ?? "";
    if (!(await secretsEqual(sent, identity.session.csrfToken))) {
      throw new AppError("csrf_failed", "Send the ec_csrf cookie value in the X-CSRF-Token header");
    }
  }
  await next();
});
