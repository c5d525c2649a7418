/**
 * @module dispatch/consumer: the `supplier-dispatch` queue and its dead-letter queue.
 *
 * Retry schedule (attempt n failed with a retryable answer): wait 10 s × 2^(n−1), capped at one hour, with ±20 %
 * jitter so many failed dispatches do not return at the same second; a longer Retry-After from the supplier wins.
 * With max_retries = 8 that is 9 attempts over roughly 45 minutes; then the message goes to the dead-letter queue,
 * whose consumer marks the dispatch failed ("dispatch failed" for the merchant and platform, re-send in the console).
 */
import { z } from "zod";
import { log } from "../../middleware/request-log";
import { deliverOnce } from "./delivery";
import { dispatchById } from "./repository";

export const DispatchMessage = z.object({ dispatchId: z.string().min(1) });
export type DispatchMessageBody = z.infer<typeof DispatchMessage>;

const BASE_SECONDS = 10;
const CAP_SECONDS = 3600;
/** Cloudflare Queues accept at most 12 hours of delay. */
const MAX_DELAY_SECONDS = 43_200;

/** Seconds to wait after the `attempt`-th failure; `random` in [0, 1) spreads retries out. */
export function backoffSeconds(attempt: number, retryAfter: number | null, random = Math.random()): number {
  const exponential = Math.min(CAP_SECONDS, BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential * (0.8 + 0.4 * random));
  return Math.min(MAX_DELAY_SECONDS, Math.max(jittered, retryAfter ?? 0));
}

export async function consumeDispatches(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = DispatchMessage.safeParse(msg.body);
    if (!parsed.success) {
      log("error", "malformed dispatch message dropped", { body: JSON.stringify(msg.body).slice(0, 200) });
      msg.ack();
      continue;
    }
    try {
      const dispatch = await dispatchById(env.DB, parsed.data.dispatchId);
      if (!dispatch) {
        // The row is written before the message is sent; a missing one was never committed.
        msg.ack();
        continue;
      }
      const outcome = await deliverOnce(env, dispatch, "queue");
      if (outcome.kind === "retry") {
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts, outcome.retryAfterSeconds) });
      } else {
        msg.ack();
      }
    } catch (error) {
      log("warn", "dispatch attempt crashed; retrying", { error: String(error) });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts, null) });
    }
  }
}

/** Out of retries: the dispatch is failed for everyone to see; nothing is lost (re-send or pull still work). */
export async function consumeDispatchDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const nowMs = Date.now();
  for (const msg of batch.messages) {
    const parsed = DispatchMessage.safeParse(msg.body);
    if (parsed.success) {
      await env.DB.prepare(
        `UPDATE dispatches SET status = 'failed', failed_at_ms = ?2, updated_at_ms = ?2,
           last_error = COALESCE(last_error, 'out of retries')
         WHERE id = ?1 AND status = 'pending'`,
      )
        .bind(parsed.data.dispatchId, nowMs)
        .run();
      log("error", "dispatch out of retries", { dispatchId: parsed.data.dispatchId });
    }
    msg.ack();
  }
}
