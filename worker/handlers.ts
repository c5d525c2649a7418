/**
 * @module handlers: the queue and cron entry points shared by the deployable Worker and the API-only test entry.
 */
import { consumeDeadLetters, consumeEvents } from "./events/consumer";
import { runHousekeeping } from "./jobs/housekeeping";
import { log } from "./middleware/request-log";

export async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);
  if (batch.queue === "domain-events") return consumeEvents(batch, env);
  log("error", "message from an unknown queue left for retry", { queue: batch.queue });
  batch.retryAll();
}

export async function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  ctx.waitUntil(runHousekeeping(env));
}
