/**
 * @module events/consumer: dispatches queue messages to subscribers; each subscriber's effect is committed in one
 * D1 batch together with its processed-event record, so a redelivered or duplicated event has no second effect.
 */

import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { database } from "../db/client";
import { deadLetters, processedEvents } from "../db/schema";
import { log } from "../middleware/request-log";
import { subscribers } from "./subscribers";
import { type AnyEvent, parseEvent } from "./types";

export type Effects = BatchItem<"sqlite">[];

/** A named consumer of some event types; `handle` returns the D1 writes it wants, or performs idempotent I/O. */
export interface Subscriber {
  name: string;
  types: readonly AnyEvent["type"][];
  handle(event: AnyEvent, env: Env): Promise<Effects>;
}

async function alreadyProcessed(d1: D1Database, consumer: string, eventId: string): Promise<boolean> {
  const [row] = await database(d1)
    .select({ eventId: processedEvents.eventId })
    .from(processedEvents)
    .where(and(eq(processedEvents.consumer, consumer), eq(processedEvents.eventId, eventId)))
    .limit(1);
  return row !== undefined;
}

/** Runs one subscriber for one event exactly once in effect; returns false when it had already run. */
export async function deliver(env: Env, subscriber: Subscriber, event: AnyEvent): Promise<boolean> {
  if (await alreadyProcessed(env.DB, subscriber.name, event.id)) return false;
  const effects = await subscriber.handle(event, env);
  const db = database(env.DB);
  const marker = db
    .insert(processedEvents)
    .values({ consumer: subscriber.name, eventId: event.id, processedAtMs: Date.now() });
  try {
    await db.batch([marker, ...effects]);
  } catch (error) {
    // Two deliveries raced: the loser's batch hits the marker's primary key and rolls back whole.
    if (await alreadyProcessed(env.DB, subscriber.name, event.id)) return false;
    throw error;
  }
  return true;
}

function backoffSeconds(attempts: number): number {
  return Math.min(300, 2 ** attempts + Math.floor(Math.random() * 3));
}

export async function consumeEvents(batch: MessageBatch<unknown>, env: Env, list = subscribers): Promise<void> {
  for (const message of batch.messages) {
    const parsed = parseEvent(message.body);
    if (!parsed.ok) {
      log("error", "unreadable domain event dropped to dead letters", { messageId: message.id, reason: parsed.reason });
      await recordDeadLetter(env, message.id, "unreadable", message.body, message.attempts);
      message.ack();
      continue;
    }
    const { event } = parsed;
    try {
      for (const subscriber of list) {
        if (subscriber.types.includes(event.type)) await deliver(env, subscriber, event);
      }
      message.ack();
    } catch (error) {
      log("warn", "domain event failed; will retry", {
        eventId: event.id,
        type: event.type,
        attempts: message.attempts,
        error: String(error),
      });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

async function recordDeadLetter(env: Env, id: string, type: string, body: unknown, attempts: number): Promise<void> {
  await database(env.DB)
    .insert(deadLetters)
    .values({ eventId: id, type, body: JSON.stringify(body), attempts, receivedAtMs: Date.now() })
    .onConflictDoNothing();
}

/** The dead-letter queue's consumer: keeps every exhausted event where the platform console can see and re-drive it. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = parseEvent(message.body);
    const id = parsed.ok ? parsed.event.id : message.id;
    const type = parsed.ok ? parsed.event.type : "unreadable";
    await recordDeadLetter(env, id, type, message.body, message.attempts);
    log("error", "domain event dead-lettered", { eventId: id, type });
    message.ack();
  }
}
