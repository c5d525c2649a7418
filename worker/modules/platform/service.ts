/**
 * @module platform/service: supplier review (pending → approved → suspended) and dead-letter re-drive.
 */
import { desc, eq } from "drizzle-orm";
import { database } from "../../db/client";
import { deadLetters } from "../../db/schema";
import { AppError } from "../../errors";
import { makeEvent, outboxInsertWhen } from "../../events/outbox";
import { findSupplier, type SupplierRow, setSupplierStatusStatement } from "../orgs/repository";

type Decision = "approve" | "suspend" | "reject" | "reinstate";

/** Which states each decision may start from: re-applying the same decision is a 409, not a silent no-op. */
const TRANSITIONS: Record<Decision, { from: SupplierRow["status"][]; to: SupplierRow["status"] }> = {
  approve: { from: ["pending"], to: "approved" },
  reject: { from: ["pending"], to: "rejected" },
  suspend: { from: ["approved"], to: "suspended" },
  reinstate: { from: ["suspended"], to: "approved" },
};

export async function decideSupplier(
  env: Env,
  supplierId: string,
  decision: Decision,
  reason: string | null,
): Promise<SupplierRow> {
  const current = await findSupplier(env.DB, supplierId);
  if (!current) throw new AppError("not_found", `No supplier ${supplierId}`);
  const rule = TRANSITIONS[decision];
  if (!rule.from.includes(current.status)) {
    throw new AppError("invalid_transition", `Cannot ${decision} a supplier that is ${current.status}`, {
      extensions: { currentStatus: current.status },
    });
  }
  const nowMs = Date.now();
  const event = makeEvent(
    "supplier.status_changed",
    { supplierId, name: current.name, from: current.status, to: rule.to, reason },
    nowMs,
  );
  const update = setSupplierStatusStatement(env.DB, supplierId, rule.from, rule.to, reason, nowMs).toSQL();
  // The event is written only if the guarded update matched, so a lost race emits nothing.
  await env.DB.batch([
    env.DB.prepare(update.sql).bind(...update.params),
    outboxInsertWhen(
      env.DB,
      event,
      "SELECT 1 FROM suppliers WHERE id = ? AND status = ? AND reviewed_at_ms = ?",
      supplierId,
      rule.to,
      nowMs,
    ),
  ]);
  const after = await findSupplier(env.DB, supplierId);
  if (!after || after.status !== rule.to || after.reviewedAtMs !== nowMs) {
    throw new AppError("invalid_transition", "The supplier changed meanwhile; reload and try again");
  }
  return after;
}

export async function listDeadLetters(d1: D1Database) {
  return database(d1).select().from(deadLetters).orderBy(desc(deadLetters.receivedAtMs)).limit(200);
}

/** Sends a dead-lettered event back to the queue; consumers skip whatever they already processed. */
export async function redriveDeadLetter(env: Env, eventId: string): Promise<void> {
  const db = database(env.DB);
  const [row] = await db.select().from(deadLetters).where(eq(deadLetters.eventId, eventId)).limit(1);
  if (!row) throw new AppError("not_found", `No dead letter ${eventId}`);
  await env.EVENTS_QUEUE.send(JSON.parse(row.body), { contentType: "json" });
  await db.delete(deadLetters).where(eq(deadLetters.eventId, eventId));
}
