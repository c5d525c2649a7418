/**
 * @module dispatch/repository: endpoints, dispatches and attempts. Reads a supplier reaches always name the supplier.
 */
import type { DispatchStatus } from "../../db/schema";

export interface EndpointRow {
  supplierId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAtMs: number | null;
  status: "active" | "disabled";
  disabledReason: string | null;
  updatedAtMs: number;
}

export function endpointOf(d1: D1Database, supplierId: string): Promise<EndpointRow | null> {
  return d1
    .prepare(
      `SELECT supplier_id AS supplierId, url, secret, previous_secret AS previousSecret,
              previous_secret_expires_at_ms AS previousSecretExpiresAtMs, status, disabled_reason AS disabledReason,
              updated_at_ms AS updatedAtMs
       FROM supplier_endpoints WHERE supplier_id = ?`,
    )
    .bind(supplierId)
    .first<EndpointRow>();
}

export interface DispatchRow {
  id: string;
  subOrderId: string;
  supplierId: string;
  merchantId: string;
  eventType: string;
  payload: string;
  status: DispatchStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAtMs: number | null;
  acknowledgedAtMs: number | null;
  failedAtMs: number | null;
  createdAtMs: number;
}

export const DISPATCH_COLUMNS = `id, sub_order_id AS subOrderId, supplier_id AS supplierId, merchant_id AS merchantId,
  event_type AS eventType, payload, status, attempts, last_status_code AS lastStatusCode, last_error AS lastError,
  delivered_at_ms AS deliveredAtMs, acknowledged_at_ms AS acknowledgedAtMs, failed_at_ms AS failedAtMs,
  created_at_ms AS createdAtMs`;

export function dispatchById(d1: D1Database, id: string): Promise<DispatchRow | null> {
  return d1.prepare(`SELECT ${DISPATCH_COLUMNS} FROM dispatches WHERE id = ?`).bind(id).first<DispatchRow>();
}

/** The supplier's own dispatches among `ids`, oldest first; other suppliers' ids are left out like missing ones. */
export async function dispatchesIn(d1: D1Database, supplierId: string, ids: string[]): Promise<DispatchRow[]> {
  if (ids.length === 0) return [];
  const result = await d1
    .prepare(
      `SELECT ${DISPATCH_COLUMNS} FROM dispatches
       WHERE supplier_id = ?1 AND id IN (SELECT value FROM json_each(?2)) ORDER BY created_at_ms, id`,
    )
    .bind(supplierId, JSON.stringify(ids))
    .all<DispatchRow>();
  return result.results;
}

export function insertDispatchStatement(
  d1: D1Database,
  row: { id: string; subOrderId: string; supplierId: string; merchantId: string; eventType: string; payload: string },
  nowMs: number,
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO dispatches (id, sub_order_id, supplier_id, merchant_id, event_type, payload, status, created_at_ms,
         updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7) ON CONFLICT DO NOTHING`,
    )
    .bind(row.id, row.subOrderId, row.supplierId, row.merchantId, row.eventType, row.payload, nowMs);
}

export interface AttemptInput {
  id: string;
  dispatchId: string;
  attempt: number;
  trigger: "queue" | "manual";
  atMs: number;
  statusCode: number | null;
  latencyMs: number;
  outcome: "delivered" | "retry" | "failed" | "disabled";
  error: string | null;
  responseExcerpt: string | null;
}

export function insertAttemptStatement(d1: D1Database, a: AttemptInput): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO dispatch_attempts (id, dispatch_id, attempt, trigger, at_ms, status_code, latency_ms, outcome, error,
         response_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      a.id,
      a.dispatchId,
      a.attempt,
      a.trigger,
      a.atMs,
      a.statusCode,
      a.latencyMs,
      a.outcome,
      a.error,
      a.responseExcerpt,
    );
}

export interface AttemptRow {
  attempt: number;
  trigger: AttemptInput["trigger"];
  atMs: number;
  statusCode: number | null;
  latencyMs: number;
  outcome: AttemptInput["outcome"];
  error: string | null;
  responseExcerpt: string | null;
}

export async function attemptsOf(d1: D1Database, dispatchId: string): Promise<AttemptRow[]> {
  const result = await d1
    .prepare(
      `SELECT attempt, trigger, at_ms AS atMs, status_code AS statusCode, latency_ms AS latencyMs, outcome, error,
              response_excerpt AS responseExcerpt
       FROM dispatch_attempts WHERE dispatch_id = ? ORDER BY at_ms, attempt`,
    )
    .bind(dispatchId)
    .all<AttemptRow>();
  return result.results;
}

/** The attempt logs of several dispatches at once (a console page), each oldest first. */
export async function attemptsByDispatch(d1: D1Database, dispatchIds: string[]): Promise<Map<string, AttemptRow[]>> {
  const byDispatch = new Map<string, AttemptRow[]>();
  if (dispatchIds.length === 0) return byDispatch;
  const result = await d1
    .prepare(
      `SELECT dispatch_id AS dispatchId, attempt, trigger, at_ms AS atMs, status_code AS statusCode,
              latency_ms AS latencyMs, outcome, error, response_excerpt AS responseExcerpt
       FROM dispatch_attempts WHERE dispatch_id IN (SELECT value FROM json_each(?)) ORDER BY at_ms, attempt`,
    )
    .bind(JSON.stringify(dispatchIds))
    .all<AttemptRow & { dispatchId: string }>();
  for (const { dispatchId, ...attempt } of result.results) {
    byDispatch.set(dispatchId, [...(byDispatch.get(dispatchId) ?? []), attempt]);
  }
  return byDispatch;
}
