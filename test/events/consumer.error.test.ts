import { createExecutionContext, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { consumeEvents, type Subscriber } from "../../worker/events/consumer";
import { insertNotification } from "../../worker/modules/notifications/repository";
import { notificationSubscriber } from "../../worker/modules/notifications/subscriber";
import { unique } from "../helpers";
import {
  batchOf,
  type Delivery,
  deadLetter,
  delivery,
  EVENTS_QUEUE,
  merchantRegistered,
  notificationsFromEvent,
  runQueue,
} from "../support/events";

async function consumeWith(list: Subscriber[], deliveries: Delivery[]) {
  const batch = batchOf(EVENTS_QUEUE, deliveries);
  // getQueueResult() reports which messages were retried but not their delay, so watch retry() itself.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    vi.spyOn(message, "retry").mockImplementation((options) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    });
  }
  const ctx = createExecutionContext();
  await consumeEvents(batch, env, list);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

function failing(name: string, failures: number): Subscriber & { calls: number } {
  const subscriber = {
    name,
    types: ["merchant.registered"] as const,
    calls: 0,
    async handle() {
      subscriber.calls += 1;
      if (subscriber.calls <= failures) throw new Error(`${name} is down`);
      return [];
    },
  };
  return subscriber;
}

describe("messages that cannot be read", () => {
  it.each([
    ["a body that is not an event", { hello: "world" }],
    ["an event id without the evt_ prefix", { id: "123", type: "merchant.registered", occurredAtMs: 1, payload: {} }],
    ["an unknown event type", { id: "evt_x1", type: "order.exploded", occurredAtMs: 1, payload: {} }],
    [
      "a known type with a wrong payload",
      { id: "evt_x2", type: "merchant.registered", occurredAtMs: 1, payload: { slug: 1 } },
    ],
    ["a plain string", "merchant.registered"],
  ])("%s is acked (not retried forever) and kept in dead_letters", async (_what, body) => {
    const message = delivery(body, 3);
    const result = await runQueue(EVENTS_QUEUE, [message]);
    expect(result.explicitAcks).toEqual([message.id]);
    expect(result.retryMessages).toEqual([]);
    const row = await deadLetter(message.id);
    expect(row).toMatchObject({ event_id: message.id, type: "unreadable", attempts: 3 });
    expect(JSON.parse(row?.body ?? "null")).toEqual(body);
  });

  it("an unreadable message does not hold up the readable one next to it", async () => {
    const bad = delivery({ nonsense: true });
    const event = merchantRegistered();
    const good = delivery(event);
    const result = await runQueue(EVENTS_QUEUE, [bad, good]);
    expect(result.explicitAcks.sort()).toEqual([bad.id, good.id].sort());
    expect(await notificationsFromEvent(event.id)).toHaveLength(2);
  });
});

describe("subscribers that fail", () => {
  it("a subscriber that throws gets the message retried with a delay, not acked", async () => {
    const broken = failing(unique("broken-"), Number.POSITIVE_INFINITY);
    const message = delivery(merchantRegistered());
    const result = await consumeWith([broken], [message]);
    expect(result.explicitAcks).not.toContain(message.id);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([message.id]);
    expect(result.delays.get(message.id)).toBeGreaterThan(0);
  });

  it("later attempts wait longer before the next retry", async () => {
    const broken = failing(unique("broken-"), Number.POSITIVE_INFINITY);
    const first = delivery(merchantRegistered(), 1);
    const sixth = delivery(merchantRegistered(), 6);
    const early = await consumeWith([broken], [first]);
    const late = await consumeWith([broken], [sixth]);
    expect(early.delays.get(first.id)).toBeGreaterThan(0);
    expect(late.delays.get(sixth.id)).toBeGreaterThan(early.delays.get(first.id) ?? Number.POSITIVE_INFINITY);
  });

  it("one failing event does not stop the others in its batch from being acked", async () => {
    const broken: Subscriber = {
      name: unique("picky-"),
      types: ["merchant.registered"],
      async handle(event) {
        if (event.type === "merchant.registered" && event.payload.name.includes("坏")) throw new Error("picky");
        return [];
      },
    };
    const bad = delivery({ ...merchantRegistered(), payload: { merchantId: "mer_bad1", slug: "bad", name: "坏店" } });
    const good = delivery(merchantRegistered());
    const result = await consumeWith([broken], [bad, good]);
    expect(result.explicitAcks).toEqual([good.id]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([bad.id]);
  });

  it("on retry after a partial failure, the subscriber that already succeeded has no second effect", async () => {
    const flaky = failing(unique("flaky-"), 1);
    const event = merchantRegistered();
    const first = await consumeWith([notificationSubscriber, flaky], [delivery(event, 1)]);
    expect(first.retryMessages).toHaveLength(1);
    expect(await notificationsFromEvent(event.id)).toHaveLength(2);

    const second = await consumeWith([notificationSubscriber, flaky], [delivery(event, 2)]);
    expect(second.retryMessages).toEqual([]);
    expect(second.explicitAcks).toHaveLength(1);
    expect(flaky.calls).toBe(2);
    expect(await notificationsFromEvent(event.id)).toHaveLength(2);

    // A third copy finds both subscribers done: neither runs again.
    await consumeWith([notificationSubscriber, flaky], [delivery(event, 3)]);
    expect(flaky.calls).toBe(2);
    expect(await notificationsFromEvent(event.id)).toHaveLength(2);
  });

  it("a subscriber whose writes fail half-way leaves none of them behind, and is retried", async () => {
    const event = merchantRegistered();
    const half: Subscriber = {
      name: unique("half-"),
      types: ["merchant.registered"],
      async handle(e, workerEnv) {
        const effects = await notificationSubscriber.handle(e, workerEnv);
        const row = {
          id: unique("ntf_dup"),
          orgType: "platform" as const,
          orgId: "platform",
          kind: "test",
          title: "duplicate",
          body: "",
          sourceEventId: e.id,
          createdAtMs: Date.now(),
        };
        // The second insert of the same primary key fails after three good writes in the same batch.
        return [...effects, insertNotification(workerEnv.DB, row), insertNotification(workerEnv.DB, row)];
      },
    };
    const message = delivery(event);
    const result = await consumeWith([half], [message]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([message.id]);
    expect(await notificationsFromEvent(event.id)).toEqual([]);
    const marker = await env.DB.prepare("SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?")
      .bind(half.name, event.id)
      .first();
    expect(marker).toBeNull();
  });

  it("a message from an unknown queue is left for retry", async () => {
    const message = delivery(merchantRegistered());
    const result = await runQueue("some-other-queue", [message]);
    expect(result.retryBatch.retry).toBe(true);
    expect(result.explicitAcks).toEqual([]);
  });
});
