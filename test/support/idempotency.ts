/**
 * Idempotency-Key helpers: the scope and request hash computed the way worker/middleware/idempotency.ts does, so a
 * test can plant a record the middleware will find, and read back what the middleware stored.
 */
import { env } from "cloudflare:workers";
import { sha256Hex } from "../../worker/lib/crypto";

/** The header that carries a key (sent as given, so malformed and quoted keys reach the middleware unchanged). */
export function withKey(key: string): Record<string, string> {
  return { "idempotency-key": key };
}

/** Scope of a signed-in user: per user and per X-Org-Id (empty when the request names no organisation). */
export function userScope(userId: string, orgId = ""): string {
  return `usr:${userId}:${orgId}`;
}

/** Scope of an anonymous caller: its client address (`CF-Connecting-IP`). */
export function addressScope(ip: string): string {
  return `ip:${ip}`;
}

/** The hash the middleware stores for a request: method, path (with query) and the raw body text. */
export function requestHash(method: string, path: string, body = ""): Promise<string> {
  return sha256Hex(`${method} ${path}\n${body}`);
}

export interface PlantedRecord {
  scope: string;
  key: string;
  method: string;
  path: string;
  body: string;
  createdAtMs: number;
  lockedUntilMs: number;
}

/** Inserts an `in_progress` record, as a first attempt that is still running (or that crashed) leaves behind. */
export async function plantInProgress(record: PlantedRecord): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at_ms, locked_until_ms, expires_at_ms)
     VALUES (?, ?, ?, 'in_progress', ?, ?, ?)`,
  )
    .bind(
      record.scope,
      record.key,
      await requestHash(record.method, record.path, record.body),
      record.createdAtMs,
      record.lockedUntilMs,
      record.createdAtMs + 86_400_000,
    )
    .run();
}

export interface StoredRecord {
  state: string;
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
}

export async function storedRecord(scope: string, key: string): Promise<StoredRecord | null> {
  return env.DB.prepare(
    "SELECT state, response_status, response_headers, response_body FROM idempotency_keys WHERE scope = ? AND key = ?",
  )
    .bind(scope, key)
    .first<StoredRecord>();
}

export async function storedRecords(scope: string, key: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM idempotency_keys WHERE scope = ? AND key = ?")
    .bind(scope, key)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
