/**
 * @module jobs/housekeeping: the cron's work — relay the outbox, then drop records nobody can use any more.
 */
import { and, isNotNull, lt } from "drizzle-orm";
import { database } from "../db/client";
import { idempotencyKeys, otpCodes, outbox, processedEvents, sessions } from "../db/schema";
import { relayOutbox } from "../events/outbox";
import { log } from "../middleware/request-log";

const DAY_MS = 86_400_000;

export async function runHousekeeping(env: Env, nowMs = Date.now()): Promise<{ relayed: number }> {
  const relayed = await relayOutbox(env);
  const db = database(env.DB);
  await db.batch([
    db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAtMs, nowMs)),
    db.delete(sessions).where(lt(sessions.expiresAtMs, nowMs - DAY_MS)),
    db.delete(otpCodes).where(lt(otpCodes.expiresAtMs, nowMs - DAY_MS)),
    db.delete(outbox).where(and(isNotNull(outbox.sentAtMs), lt(outbox.sentAtMs, nowMs - 7 * DAY_MS))),
    // Queue messages live at most 14 days, so an older redelivery cannot arrive.
    db.delete(processedEvents).where(lt(processedEvents.processedAtMs, nowMs - 30 * DAY_MS)),
  ]);
  if (relayed > 0) log("info", "outbox relayed by cron", { relayed });
  return { relayed };
}
