import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makeEvent } from "../../worker/events/outbox";
import { call, platformAdmin, type Session } from "../helpers";
import {
  DEAD_LETTER_QUEUE,
  deadLetter,
  delivery,
  EVENTS_QUEUE,
  merchantRegistered,
  notificationsFromEvent,
  runQueue,
} from "../support/events";
import { expectCode } from "../support/problems";
import { applyAsSupplier, inbox } from "../support/tenants";

interface DeadLetterView {
  eventId: string;
  type: string;
  body: string;
  attempts: number;
}

let admin: Session;

beforeAll(async () => {
  admin = await platformAdmin();
});

async function listed(): Promise<DeadLetterView[]> {
  const res = await call("/api/platform/dead-letters", { session: admin });
  expect(res.status).toBe(200);
  return (await res.json<{ items: DeadLetterView[] }>()).items;
}

describe("the dead-letter queue consumer", () => {
  it("keeps an exhausted event under its event id, type and attempt count, and acks it", async () => {
    const event = merchantRegistered();
    const message = delivery(event, 6);
    const result = await runQueue(DEAD_LETTER_QUEUE, [message]);
    expect(result.explicitAcks).toEqual([message.id]);
    const row = await deadLetter(event.id);
    expect(row).toMatchObject({ event_id: event.id, type: event.type, attempts: 6 });
    expect(JSON.parse(row?.body ?? "null")).toEqual(event);
  });

  it("keeps an unreadable message under its message id", async () => {
    const message = delivery({ garbage: true }, 6);
    await runQueue(DEAD_LETTER_QUEUE, [message]);
    expect(await deadLetter(message.id)).toMatchObject({ event_id: message.id, type: "unreadable" });
  });

  it("an event dead-lettered twice is listed once and both copies are acked", async () => {
    const event = merchantRegistered();
    const a = delivery(event, 6);
    const b = delivery(event, 6);
    const result = await runQueue(DEAD_LETTER_QUEUE, [a, b]);
    expect(result.explicitAcks.sort()).toEqual([a.id, b.id].sort());
    expect((await listed()).filter((d) => d.eventId === event.id)).toHaveLength(1);
  });

  it("the platform console lists dead letters with their body", async () => {
    const event = merchantRegistered();
    await runQueue(DEAD_LETTER_QUEUE, [delivery(event, 6)]);
    const item = (await listed()).find((d) => d.eventId === event.id);
    expect(item).toMatchObject({ eventId: event.id, type: "merchant.registered", attempts: 6 });
    expect(JSON.parse(item?.body ?? "null")).toEqual(event);
  });
});

describe("re-driving a dead letter", () => {
  it("re-queues the event: it leaves the list and its effect lands in the supplier's inbox", async () => {
    const supplier = await applyAsSupplier();
    const event = makeEvent("supplier.status_changed", {
      supplierId: supplier.supplierId,
      name: supplier.name,
      from: "approved",
      to: "suspended",
      reason: "重新投递测试",
    });
    await runQueue(DEAD_LETTER_QUEUE, [delivery(event, 6)]);
    expect((await listed()).map((d) => d.eventId)).toContain(event.id);
    expect(await notificationsFromEvent(event.id)).toEqual([]);

    const res = await call(`/api/platform/dead-letters/${event.id}/redrive`, { method: "POST", session: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redriven: true });
    expect((await listed()).map((d) => d.eventId)).not.toContain(event.id);
    expect(await deadLetter(event.id)).toBeNull();

    await expect
      .poll(async () => (await inbox("/api/supplier/notifications", supplier)).map((n) => n.body), { timeout: 15_000 })
      .toContain("原因：重新投递测试");
    expect(await notificationsFromEvent(event.id)).toHaveLength(1);
  }, 30_000);

  it("re-driving the same dead letter a second time is 404: it was already sent", async () => {
    const event = merchantRegistered();
    await runQueue(DEAD_LETTER_QUEUE, [delivery(event, 6)]);
    const path = `/api/platform/dead-letters/${event.id}/redrive`;
    expect((await call(path, { method: "POST", session: admin })).status).toBe(200);
    await expectCode(await call(path, { method: "POST", session: admin }), 404, "not_found");
  });

  it("a re-driven event that was already processed has no second effect", async () => {
    const event = merchantRegistered();
    await runQueue(EVENTS_QUEUE, [delivery(event)]);
    expect(await notificationsFromEvent(event.id)).toHaveLength(2);
    await runQueue(DEAD_LETTER_QUEUE, [delivery(event, 6)]);
    expect(
      (await call(`/api/platform/dead-letters/${event.id}/redrive`, { method: "POST", session: admin })).status,
    ).toBe(200);
    // Wait until the queue has certainly delivered it: a marker event sent after it is consumed.
    const marker = merchantRegistered();
    await env.EVENTS_QUEUE.send(marker, { contentType: "json" });
    await expect.poll(async () => (await notificationsFromEvent(marker.id)).length, { timeout: 15_000 }).toBe(2);
    expect(await notificationsFromEvent(event.id)).toHaveLength(2);
  }, 30_000);
});
