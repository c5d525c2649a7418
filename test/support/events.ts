/**
 * Driving the queue handlers directly: build a MessageBatch the way the runtime would and read back acks/retries.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { makeEvent } from "../../worker/events/outbox";
import type { DomainEvent } from "../../worker/events/types";
import worker from "../../worker/index";
import { unique } from "../helpers";

export const EVENTS_QUEUE = "domain-events";
export const DEAD_LETTER_QUEUE = "domain-events-dlq";

export interface Delivery {
  id: string;
  body: unknown;
  attempts?: number;
}

export function delivery(body: unknown, attempts = 1): Delivery {
  return { id: unique("msg-"), body, attempts };
}

/** A merchant.registered event for a merchant id no other test uses; it notifies the platform and the merchant. */
export function merchantRegistered(): DomainEvent<"merchant.registered"> {
  const slug = unique("evshop");
  return makeEvent("merchant.registered", { merchantId: unique("mer_"), slug, name: `店铺 ${slug}` });
}

export function batchOf(queue: string, deliveries: Delivery[]): MessageBatch<unknown> {
  return createMessageBatch<unknown>(
    queue,
    deliveries.map((d) => ({ id: d.id, timestamp: new Date(), attempts: d.attempts ?? 1, body: d.body })),
  );
}

/** Runs the Worker's exported queue handler on a batch, as the runtime would, and returns what it acked/retried. */
export async function runQueue(queue: string, deliveries: Delivery[]): Promise<QueueResult> {
  const batch = batchOf(queue, deliveries);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

export interface NotificationRow {
  org_type: string;
  org_id: string;
  title: string;
}

export async function notificationsFromEvent(eventId: string): Promise<NotificationRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT org_type, org_id, title FROM notifications WHERE source_event_id = ? ORDER BY org_type",
  )
    .bind(eventId)
    .all<NotificationRow>();
  return results;
}

export interface DeadLetterRow {
  event_id: string;
  type: string;
  body: string;
  attempts: number;
}

export async function deadLetter(eventId: string): Promise<DeadLetterRow | null> {
  return env.DB.prepare("SELECT event_id, type, body, attempts FROM dead_letters WHERE event_id = ?")
    .bind(eventId)
    .first<DeadLetterRow>();
}

/**
 * Runs the queue handler and also reports the delay each retry asked for (the runtime's queue result only says that
 * a message was retried, not when it comes back).
 */
export async function runQueueWithDelays(
  queue: string,
  deliveries: Delivery[],
): Promise<QueueResult & { delays: (number | undefined)[] }> {
  const batch = batchOf(queue, deliveries);
  const delays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, "retry", {
      value: (options?: QueueRetryOptions) => {
        delays.push(options?.delaySeconds);
        retry(options);
      },
    });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { ...(await getQueueResult(batch, ctx)), delays };
}
