/**
 * @module events/outbox: events are inserted in the same D1 batch as the change they report, then relayed.
 * The request path relays right away (in waitUntil); the cron relays whatever that missed.
 */
import { and, asc, inArray, isNull } from "drizzle-orm";
import { database } from "../db/client";
import { outbox } from "../db/schema";
import { newId } from "../lib/crypto";
import { log } from "../middleware/request-log";
import type { DomainEvent, EventPayload, EventType } from "./types";

export function makeEvent<T extends EventType>(type: T, payload: EventPayload<T>, nowMs = Date.now()): DomainEvent<T> {
  return { id: newId("evt", nowMs), type, occurredAtMs: nowMs, payload };
}

/** A statement to put in the same `db.batch()` as the state change, so the event exists iff the change does. */
export function outboxInsert(d1: D1Database, event: DomainEvent) {
  return database(d1)
    .insert(outbox)
    .values({
      id: event.id,
      type: event.type,
      payload: JSON.stringify(event.payload),
      occurredAtMs: event.occurredAtMs,
    });
}

/** The same as `outboxInsert`, as a plain D1 statement for batches built from prepared statements. */
export function outboxStatement(d1: D1Database, event: DomainEvent): D1PreparedStatement {
  return d1
    .prepare("INSERT INTO outbox (id, type, payload, occurred_at_ms) VALUES (?, ?, ?, ?)")
    .bind(event.id, event.type, JSON.stringify(event.payload), event.occurredAtMs);
}

/** D1 binds at most 100 parameters per statement; marking a batch sent binds its ids plus one timestamp. */
const RELAY_BATCH = 90;

/** Sends unsent outbox rows to the queue, oldest first; returns how many went out. */
export async function relayOutbox(env: Env, limit = 500): Promise<number> {
  const db = database(env.DB);
  let sent = 0;
  while (sent < limit) {
    const rows = await db
      .select()
      .from(outbox)
      .where(isNull(outbox.sentAtMs))
      .orderBy(asc(outbox.occurredAtMs))
      .limit(Math.min(RELAY_BATCH, limit - sent));
    if (rows.length === 0) break;
    await env.EVENTS_QUEUE.sendBatch(
      rows.map((row) => ({
        body: { id: row.id, type: row.type, occurredAtMs: row.occurredAtMs, payload: JSON.parse(row.payload) },
        contentType: "json" as const,
      })),
    );
    // A crash between send and this update re-sends the rows later: consumers deduplicate by event id.
    await db
      .update(outbox)
      .set({ sentAtMs: Date.now() })
      .where(
        and(
          inArray(
            outbox.id,
            rows.map((r) => r.id),
          ),
          isNull(outbox.sentAtMs),
        ),
      );
    sent += rows.length;
  }
  return sent;
}

export function relaySoon(env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): void {
  ctx.waitUntil(
    relayOutbox(env, 100).catch((error: unknown) => {
      log("warn", "outbox relay failed; the cron will retry", { error: String(error) });
    }),
  );
}

/**
 * An outbox insert that happens only if `existsSql` finds a row — put after a guarded UPDATE in the same D1 batch,
 * so the event exists exactly when the update matched.
 */
export function outboxInsertWhen(
  d1: D1Database,
  event: DomainEvent,
  existsSql: string,
  ...params: unknown[]
): D1PreparedStatement {
  return d1
    .prepare(`INSERT INTO outbox (id, type, payload, occurred_at_ms) SELECT ?, ?, ?, ? WHERE EXISTS (${existsSql})`)
    .bind(event.id, event.type, JSON.stringify(event.payload), event.occurredAtMs, ...params);
}
