/**
 * @module refunds/resume: the cron drives on after-sale refunds left `processing` — a rail that pays refunds out
 * later (WeChat Pay answers "PROCESSING" and finishes asynchronously), or a worker that stopped between the rail's
 * answer and our bookkeeping. Asking the rail again with the same refund id is how a rail is queried: it answers the
 * refund it already has, never a second one. System refunds (late money, rejected packages) are not resumed here:
 * their callers own their restock rules.
 */
import { log } from "../../middleware/request-log";
import { payOut } from "./decisions";
import { findRefund } from "./repository";

/** A refund younger than this is still in its approving request's hands. */
const SETTLE_AFTER_MS = 60_000;
const BATCH = 50;

export async function resumeProcessingRefunds(env: Env, nowMs = Date.now()): Promise<number> {
  const stuck = await env.DB.prepare(
    `SELECT id FROM refunds
     WHERE status = 'processing' AND kind = 'after_sale' AND COALESCE(decided_at_ms, created_at_ms) <= ?1
     ORDER BY created_at_ms LIMIT ?2`,
  )
    .bind(nowMs - SETTLE_AFTER_MS, BATCH)
    .all<{ id: string }>();
  let settled = 0;
  for (const { id } of stuck.results) {
    try {
      const row = await findRefund(env.DB, id, { kind: "platform" });
      if (row?.status !== "processing") continue;
      await payOut(env, row, { type: "system", id: null }, nowMs);
      if ((await findRefund(env.DB, id, { kind: "platform" }))?.status === "succeeded") settled += 1;
    } catch (error) {
      log("warn", "resuming a processing refund failed; the next run tries again", {
        refundId: id,
        error: String(error),
      });
    }
  }
  return settled;
}
