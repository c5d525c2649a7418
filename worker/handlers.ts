/**
 * @module handlers: the queue and cron entry points shared by the deployable Worker and the API-only test entry.
 */
import { app } from "./app";
import { consumeDeadLetters, consumeEvents } from "./events/consumer";
import { runHousekeeping } from "./jobs/housekeeping";
import { log } from "./middleware/request-log";
import { consumeDispatchDeadLetters, consumeDispatches } from "./modules/dispatch/consumer";
import { dispatchMissing } from "./modules/dispatch/sweep";
import { gradingDue, recomputeGrades } from "./modules/grading/service";
import { consumeFailedImportChunks, consumeImportChunks } from "./modules/imports/consumer";
import { autoCompleteDelivered, expireUnpaidOrders } from "./modules/orders/lifecycle";
import { consumeDevpayNotifications } from "./modules/payments/devpay/rail";
import { resumeProcessingRefunds } from "./modules/refunds/resume";

export async function queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  // Import chunks are not domain events: their dead letters fail the import instead of waiting for a re-drive.
  if (batch.queue === "catalog-imports") return consumeImportChunks(batch, env);
  if (batch.queue === "catalog-imports-dlq") return consumeFailedImportChunks(batch, env);
  if (batch.queue === "supplier-dispatch") return consumeDispatches(batch, env);
  if (batch.queue === "supplier-dispatch-dlq") return consumeDispatchDeadLetters(batch, env);
  // devpay stands in for an outside rail: it reaches our callback through the Worker's own fetch, middleware and all.
  if (batch.queue === "devpay-notify")
    return consumeDevpayNotifications(batch, env, async (req) => app.fetch(req, env, ctx));
  if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);
  if (batch.queue === "domain-events") return consumeEvents(batch, env);
  log("error", "message from an unknown queue left for retry", { queue: batch.queue });
  batch.retryAll();
}

export async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  ctx.waitUntil(runHousekeeping(env));
  ctx.waitUntil(expireUnpaidOrders(env, controller.scheduledTime));
  ctx.waitUntil(autoCompleteDelivered(env, controller.scheduledTime));
  ctx.waitUntil(dispatchMissing(env, controller.scheduledTime));
  ctx.waitUntil(resumeProcessingRefunds(env, controller.scheduledTime));
  if (gradingDue(controller.scheduledTime)) ctx.waitUntil(recomputeGrades(env));
}
