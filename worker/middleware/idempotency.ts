/**
 * @module idempotency: the IETF httpapi Idempotency-Key semantics for unsafe routes that may be retried.
 * The first response (below 500) is stored per caller and key for 24 h and replayed; the same key with another
 * body is 422; a replay while the first is still running is 409.
 */
import { and, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { database } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { AppError } from "../errors";
import { sha256Hex } from "../lib/crypto";
import { clientAddress } from "../lib/rate-limit";
import type { Identity } from "../modules/auth/identity";
import type { AppEnv } from "../types";

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** After this a crashed first attempt no longer blocks its key. */
const LOCK_MS = 60_000;
/** Response headers worth replaying; Set-Cookie is never stored, so no session token rests in this table. */
const REPLAYED_HEADERS = ["content-type", "location"];

function scopeOf(identity: Identity, request: Request): string {
  switch (identity.kind) {
    case "user":
      // The same person acting for two organisations keeps separate keys per organisation.
      return `usr:${identity.userId}:${request.headers.get("x-org-id") ?? ""}`;
    case "api_key":
      return `${identity.orgType}:${identity.orgId}`;
    case "shopper":
      return `shp:${identity.shopperId}:${identity.merchantId}`;
    case "anonymous":
      return `ip:${clientAddress(request)}`;
  }
}

/** Accepts a Structured Field string (`"abc"`) as the draft specifies, or a bare token as most clients send. */
export function parseIdempotencyKey(header: string): string {
  const trimmed = header.trim();
  const key = trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError("idempotency_key_invalid", "Use 1–255 printable ASCII characters");
  }
  return key;
}

/**
 * @example orders.post("/", idempotent({ required: true }), handler)
 */
export function idempotent(options: { required: boolean }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("idempotency-key");
    if (header === undefined) {
      if (options.required) throw new AppError("idempotency_key_required");
      return next();
    }
    const key = parseIdempotencyKey(header);
    const scope = scopeOf(c.get("identity"), c.req.raw);
    const url = new URL(c.req.url);
    const requestHash = await sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${await c.req.text()}`);
    const db = database(c.env.DB);
    const nowMs = Date.now();
    const where = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));

    const claimed = await db
      .insert(idempotencyKeys)
      .values({
        scope,
        key,
        requestHash,
        state: "in_progress",
        createdAtMs: nowMs,
        lockedUntilMs: nowMs + LOCK_MS,
        expiresAtMs: nowMs + IDEMPOTENCY_TTL_MS,
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });

    if (claimed.length === 0) {
      const [existing] = await db.select().from(idempotencyKeys).where(where).limit(1);
      if (!existing) throw new AppError("idempotency_in_progress", "Retry in a moment");
      if (existing.expiresAtMs <= nowMs) {
        await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.createdAtMs, existing.createdAtMs)));
        throw new AppError("idempotency_in_progress", "The old record for this key was just cleared; retry");
      }
      if (existing.requestHash !== requestHash) {
        throw new AppError("idempotency_key_reused", "This Idempotency-Key was used for a different request");
      }
      if (existing.state === "done" && existing.responseStatus !== null) {
        const headers = new Headers(JSON.parse(existing.responseHeaders ?? "{}") as Record<string, string>);
        headers.set("idempotent-replayed", "true");
        headers.set("x-request-id", c.get("requestId"));
        return new Response(existing.responseBody, { status: existing.responseStatus, headers });
      }
      if (existing.lockedUntilMs > nowMs) {
        throw new AppError("idempotency_in_progress", "The first request with this key is still running", {
          headers: { "retry-after": "1" },
        });
      }
      const taken = await db
        .update(idempotencyKeys)
        .set({ lockedUntilMs: nowMs + LOCK_MS })
        .where(and(where, eq(idempotencyKeys.lockedUntilMs, existing.lockedUntilMs)))
        .returning({ key: idempotencyKeys.key });
      if (taken.length === 0) throw new AppError("idempotency_in_progress");
    }

    try {
      await next();
    } catch (error) {
      await db.delete(idempotencyKeys).where(where);
      throw error;
    }
    const response = c.res;
    // A rate-limited or failed attempt must stay retryable with the same key.
    if (response.status >= 500 || response.status === 429) {
      await db.delete(idempotencyKeys).where(where);
      return;
    }
    const body = await response.clone().text();
    const stored: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.headers.get(name);
      if (value) stored[name] = value;
    }
    await db
      .update(idempotencyKeys)
      .set({
        state: "done",
        responseStatus: response.status,
        responseHeaders: JSON.stringify(stored),
        responseBody: body,
      })
      .where(where);
  });
}
