/**
 * @module dispatch/pull: the same dispatches for suppliers without a webhook (or whose webhook failed) — list them,
 * acknowledge them (idempotent), read the delivery attempts, re-send one. Every read names the supplier.
 */

import type { z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { decodeCursor, encodeCursor } from "../pool/cursor";
import { type DeliveryOutcome, deliverOnce, markDispatched } from "./delivery";
import type { DispatchPayload } from "./payload";
import {
  type AttemptRow,
  attemptsByDispatch,
  attemptsOf,
  DISPATCH_COLUMNS,
  type DispatchRow,
  dispatchById,
  dispatchesIn,
} from "./repository";
import type { DispatchSchema } from "./schemas";

type DispatchView = z.infer<typeof DispatchSchema>;
const SORT = "dispatch_created";

export function dispatchView(row: DispatchRow): DispatchView {
  return {
    id: row.id,
    subOrderId: row.subOrderId,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAtMs: row.createdAtMs,
    deliveredAtMs: row.deliveredAtMs,
    acknowledgedAtMs: row.acknowledgedAtMs,
    failedAtMs: row.failedAtMs,
    event: JSON.parse(row.payload),
  };
}

export async function ownDispatch(d1: D1Database, supplierId: string, id: string): Promise<DispatchRow> {
  const row = await dispatchById(d1, id);
  if (!row || row.supplierId !== supplierId) throw new AppError("not_found", `No dispatch ${id}`);
  return row;
}

/** Oldest first, so a supplier working through the list handles orders in the order they were paid. */
export async function listDispatches(
  d1: D1Database,
  supplierId: string,
  query: { status: DispatchRow["status"]; cursor?: string; limit: number },
) {
  const after = query.cursor ? decodeCursor(query.cursor, SORT) : null;
  const result = await d1
    .prepare(
      `SELECT ${DISPATCH_COLUMNS} FROM dispatches
       WHERE supplier_id = ?1 AND status = ?2
         AND (?3 IS NULL OR created_at_ms > ?3 OR (created_at_ms = ?3 AND id > ?4))
       ORDER BY created_at_ms, id LIMIT ?5`,
    )
    .bind(supplierId, query.status, after?.k ?? null, after?.id ?? "", query.limit + 1)
    .all<DispatchRow>();
  const rows = result.results.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    items: rows.map(dispatchView),
    nextCursor:
      result.results.length > query.limit && last ? encodeCursor({ s: SORT, k: last.createdAtMs, id: last.id }) : null,
  };
}

/** The supplier has taken the order into its own system; acknowledging twice is the same as once. */
export async function acknowledge(env: Env, supplierId: string, id: string, nowMs = Date.now()): Promise<DispatchView> {
  const row = await ownDispatch(env.DB, supplierId, id);
  await env.DB.prepare(
    `UPDATE dispatches SET status = 'acknowledged', acknowledged_at_ms = ?2, updated_at_ms = ?2
     WHERE id = ?1 AND status IN ('pending', 'failed', 'delivered')`,
  )
    .bind(id, nowMs)
    .run();
  await markDispatched(env, row, nowMs);
  return dispatchView((await dispatchById(env.DB, id)) ?? row);
}

export async function attemptsFor(d1: D1Database, supplierId: string, id: string) {
  await ownDispatch(d1, supplierId, id);
  return { items: await attemptsOf(d1, id) };
}

/** Re-send now (the console button): one attempt right away, whatever happened before, unless already received. */
export async function resend(env: Env, row: DispatchRow, nowMs = Date.now()) {
  if (row.status === "delivered" || row.status === "acknowledged") {
    throw new AppError("invalid_transition", "The supplier already has this dispatch");
  }
  const outcome: DeliveryOutcome = await deliverOnce(env, row, "manual", nowMs);
  if (outcome.kind === "skipped") {
    throw new AppError("invalid_transition", "No active webhook endpoint: the dispatch waits in the pull API");
  }
  const after = (await dispatchById(env.DB, row.id)) ?? row;
  if (outcome.kind === "retry") {
    // A failed re-send of a dead-lettered dispatch stays failed for the console, instead of silently pending.
    if (row.status === "failed") {
      await env.DB.prepare(
        "UPDATE dispatches SET status = 'failed', failed_at_ms = ?2 WHERE id = ?1 AND status = 'pending'",
      )
        .bind(row.id, nowMs)
        .run();
    } else {
      await env.DISPATCH_QUEUE.send({ dispatchId: row.id }, { contentType: "json" });
    }
  }
  return {
    outcome: outcome.kind,
    statusCode: "statusCode" in outcome ? outcome.statusCode : null,
    dispatch: dispatchView((await dispatchById(env.DB, row.id)) ?? after),
  };
}

/** A dispatch as the supplier console shows it: the event it carries, typed, and its delivery attempts. */
export type ConsoleDispatch = DispatchView & { payload: DispatchPayload; attemptLog: AttemptRow[] };

function consoleView(row: DispatchView, attemptLog: AttemptRow[]): ConsoleDispatch {
  // The payload column only ever holds what buildDispatchPayload produced.
  return { ...row, payload: row.event as DispatchPayload, attemptLog };
}

/** One tab of the console's dispatch list, each row with its attempt log (one query for the whole page). */
export async function consoleDispatchPage(
  d1: D1Database,
  supplierId: string,
  query: { status: DispatchRow["status"]; cursor?: string; limit: number },
): Promise<{ items: ConsoleDispatch[]; nextCursor: string | null }> {
  const page = await listDispatches(d1, supplierId, query);
  const logs = await attemptsByDispatch(
    d1,
    page.items.map((item) => item.id),
  );
  return { items: page.items.map((item) => consoleView(item, logs.get(item.id) ?? [])), nextCursor: page.nextCursor };
}

/** Dispatches picked for packing slips; ids of other suppliers' dispatches are ignored. */
export async function dispatchesForSlips(
  d1: D1Database,
  supplierId: string,
  ids: string[],
): Promise<ConsoleDispatch[]> {
  const rows = await dispatchesIn(d1, supplierId, ids);
  return rows.map((row) => consoleView(dispatchView(row), []));
}
