/**
 * @module dispatch/endpoints: a supplier's webhook endpoint — set it, rotate its secret, remove it (then it pulls).
 * The secret is returned whole only when it is created or rotated. During a rotation the previous secret signs too,
 * for ROTATION_OVERLAP_MS, so the supplier can switch its verifier without missing an event.
 */
import { AppError } from "../../errors";
import { type EndpointRow, endpointOf } from "./repository";
import { newWebhookSecret } from "./signature";

export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export function endpointView(row: EndpointRow, nowMs = Date.now()) {
  const rotating = row.previousSecret !== null && (row.previousSecretExpiresAtMs ?? 0) > nowMs;
  return {
    url: row.url,
    status: row.status,
    disabledReason: row.disabledReason,
    secretHint: `${row.secret.slice(0, 10)}…`,
    rotatingUntilMs: rotating ? row.previousSecretExpiresAtMs : null,
    updatedAtMs: row.updatedAtMs,
  };
}

function checkUrl(env: Env, url: string): void {
  const parsed = new URL(url);
  const local =
    parsed.hostname === "localhost" || parsed.hostname.endsWith(".localhost") || parsed.hostname === "127.0.0.1";
  // Production webhooks carry addresses and phone numbers: plain http only for a local test endpoint.
  if (parsed.protocol !== "https:" && !(env.APP_ENV === "development" && local)) {
    throw new AppError("validation_failed", "The endpoint must use https", {
      extensions: { issues: [{ path: "url", message: "Use an https:// URL", code: "https_required" }] },
    });
  }
}

export async function currentEndpoint(d1: D1Database, supplierId: string) {
  const row = await endpointOf(d1, supplierId);
  return row ? endpointView(row) : null;
}

/**
 * Sets the URL. A new endpoint gets a secret (returned once); changing the URL keeps the secret and re-enables an
 * endpoint the platform disabled.
 */
export async function saveEndpoint(env: Env, supplierId: string, url: string, nowMs = Date.now()) {
  checkUrl(env, url);
  const secret = newWebhookSecret();
  await env.DB.prepare(
    `INSERT INTO supplier_endpoints (supplier_id, url, secret, status, created_at_ms, updated_at_ms)
     VALUES (?1, ?2, ?3, 'active', ?4, ?4)
     ON CONFLICT (supplier_id) DO UPDATE SET url = excluded.url, status = 'active', disabled_reason = NULL,
       updated_at_ms = excluded.updated_at_ms`,
  )
    .bind(supplierId, url, secret, nowMs)
    .run();
  const row = await endpointOf(env.DB, supplierId);
  if (!row) throw new Error("endpoint vanished after upsert");
  return { view: endpointView(row, nowMs), secret: row.secret === secret ? secret : null };
}

export async function rotateSecret(d1: D1Database, supplierId: string, nowMs = Date.now()) {
  const secret = newWebhookSecret();
  const result = await d1
    .prepare(
      `UPDATE supplier_endpoints SET previous_secret = secret, previous_secret_expires_at_ms = ?3, secret = ?2,
         updated_at_ms = ?4 WHERE supplier_id = ?1`,
    )
    .bind(supplierId, secret, nowMs + ROTATION_OVERLAP_MS, nowMs)
    .run();
  if (result.meta.changes !== 1) throw new AppError("not_found", "Set a webhook endpoint first");
  const row = await endpointOf(d1, supplierId);
  if (!row) throw new Error("endpoint vanished after rotation");
  return { ...endpointView(row, nowMs), secret };
}

export async function removeEndpoint(d1: D1Database, supplierId: string): Promise<void> {
  await d1.prepare("DELETE FROM supplier_endpoints WHERE supplier_id = ?").bind(supplierId).run();
}
