/**
 * @module auth/sessions: opaque session tokens (only their SHA-256 is stored), cookies and CSRF tokens.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { database } from "../../db/client";
import { sessions } from "../../db/schema";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { isLocalHostname, requestHostname } from "../../middleware/host";
import type { AppEnv } from "../../types";

export const SESSION_COOKIE = "ec_session";
/** Readable by page scripts, which echo it in `X-CSRF-Token`; a cross-site page cannot read it. */
export const CSRF_COOKIE = "ec_csrf";

export type SessionRow = typeof sessions.$inferSelect;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAtMs: number;
}

export function sessionTtlMs(env: Env): number {
  const hours = Number(env.SESSION_TTL_HOURS);
  return (Number.isFinite(hours) && hours > 0 ? hours : 168) * 3_600_000;
}

export async function createSession(
  d1: D1Database,
  subject: { type: "user" | "shopper"; id: string; merchantId?: string },
  ttlMs: number,
  nowMs = Date.now(),
): Promise<NewSession> {
  const token = randomToken(40);
  const csrfToken = randomToken(32);
  const expiresAtMs = nowMs + ttlMs;
  await database(d1)
    .insert(sessions)
    .values({
      tokenHash: await sha256Hex(token),
      subjectType: subject.type,
      subjectId: subject.id,
      merchantId: subject.merchantId ?? null,
      csrfToken,
      createdAtMs: nowMs,
      expiresAtMs,
    });
  return { token, csrfToken, expiresAtMs };
}

export type SessionLookup = { state: "none" } | { state: "expired" } | { state: "active"; session: SessionRow };

export async function lookupSession(d1: D1Database, token: string, nowMs = Date.now()): Promise<SessionLookup> {
  const [row] = await database(d1)
    .select()
    .from(sessions)
    .where(eq(sessions.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row) return { state: "none" };
  if (row.revokedAtMs !== null || row.expiresAtMs <= nowMs) return { state: "expired" };
  return { state: "active", session: row };
}

export async function revokeSession(d1: D1Database, tokenHash: string, nowMs = Date.now()): Promise<void> {
  await database(d1)
    .update(sessions)
    .set({ revokedAtMs: nowMs })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAtMs)));
}

function cookieBase(c: Context<AppEnv>) {
  const secure = !isLocalHostname(requestHostname(c.req.raw));
  return { path: "/", sameSite: "Lax" as const, secure };
}

export function setSessionCookies(c: Context<AppEnv>, session: NewSession): void {
  const maxAge = Math.max(0, Math.floor((session.expiresAtMs - Date.now()) / 1000));
  setCookie(c, SESSION_COOKIE, session.token, { ...cookieBase(c), httpOnly: true, maxAge });
  setCookie(c, CSRF_COOKIE, session.csrfToken, { ...cookieBase(c), httpOnly: false, maxAge });
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, cookieBase(c));
  deleteCookie(c, CSRF_COOKIE, cookieBase(c));
}

export function sessionTokenFrom(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}
