import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { makeEvent, outboxInsert, relayOutbox } from "../../worker/events/outbox";
import type { DomainEvent } from "../../worker/events/types";
import { unique } from "../helpers";
import { merchantRegistered, notificationsFromEvent } from "../support/events";
import { openShop, unsentOutboxRows } from "../support/tenants";

async function sentAt(eventId: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT sent_at_ms FROM outbox WHERE id = ?")
    .bind(eventId)
    .first<{ sent_at_ms: number | null }>();
  if (!row) throw new Error(`no outbox row ${eventId}`);
  return row.sent_at_ms;
}

async function enqueue(events: DomainEvent[]): Promise<void> {
  for (const event of events) await outboxInsert(env.DB, event);
}

function applied(occurredAtMs: number): DomainEvent {
  return makeEvent("supplier.applied", { supplierId: unique("sup_"), name: unique("供应商") }, occurredAtMs);
}

let sendBatch: MockInstance<Queue["sendBatch"]>;

/** The messages handed to the queue by the nth sendBatch call. */
function sentIn(callIndex: number): MessageSendRequest[] {
  return [...(sendBatch.mock.calls[callIndex]?.[0] ?? [])];
}

beforeEach(async () => {
  // Start from a quiet outbox, whatever an earlier test left unsent; only the last test makes HTTP writes,
  // so no request's waitUntil relay runs concurrently with these.
  await env.DB.prepare("UPDATE outbox SET sent_at_ms = ? WHERE sent_at_ms IS NULL").bind(Date.now()).run();
  sendBatch = vi.spyOn(env.EVENTS_QUEUE, "sendBatch");
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("relayOutbox", () => {
  it("sends unsent rows as JSON events and marks them sent; a second run sends nothing", async () => {
    const events = [merchantRegistered(), merchantRegistered()];
    await enqueue(events);
    const before = Date.now();
    expect(await relayOutbox(env)).toBe(2);
    expect(sendBatch).toHaveBeenCalledTimes(1);
    const sent = sentIn(0);
    expect(sent.map((m) => m.body)).toEqual(events);
    expect(sent.every((m) => m.contentType === "json")).toBe(true);
    for (const event of events) expect(await sentAt(event.id)).toBeGreaterThanOrEqual(before);

    expect(await relayOutbox(env)).toBe(0);
    expect(sendBatch).toHaveBeenCalledTimes(1);
  });

  it("relayed events reach their subscribers through the real queue", async () => {
    const event = merchantRegistered();
    await enqueue([event]);
    expect(await relayOutbox(env)).toBe(1);
    await expect.poll(async () => (await notificationsFromEvent(event.id)).length, { timeout: 15_000 }).toBe(2);
  }, 30_000);

  it("sends the oldest events first and stops at the limit", async () => {
    const now = Date.now();
    const newest = applied(now);
    const oldest = applied(now - 2_000);
    const middle = applied(now - 1_000);
    await enqueue([newest, oldest, middle]);
    expect(await relayOutbox(env, 2)).toBe(2);
    expect(sentIn(0).map((m) => (m.body as DomainEvent).id)).toEqual([oldest.id, middle.id]);
    expect(await sentAt(newest.id)).toBeNull();
    expect(await relayOutbox(env)).toBe(1);
    expect(await sentAt(newest.id)).not.toBeNull();
  });

  it("a backlog of more than 100 events drains completely, in queue batches of at most 100", async () => {
    const now = Date.now();
    const backlog = Array.from({ length: 130 }, (_, i) => applied(now - 130 + i));
    await env.DB.batch(
      backlog.map((e) =>
        env.DB.prepare("INSERT INTO outbox (id, type, payload, occurred_at_ms) VALUES (?, ?, ?, ?)").bind(
          e.id,
          e.type,
          JSON.stringify(e.payload),
          e.occurredAtMs,
        ),
      ),
    );
    expect(await relayOutbox(env)).toBe(130);
    const sizes = sendBatch.mock.calls.map((_, i) => sentIn(i).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(130);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(await unsentOutboxRows()).toBe(0);
  });

  it("a failed send leaves the rows unsent for the next run", async () => {
    const event = merchantRegistered();
    await enqueue([event]);
    sendBatch.mockRejectedValueOnce(new Error("queue unavailable"));
    await expect(relayOutbox(env)).rejects.toThrow("queue unavailable");
    expect(await sentAt(event.id)).toBeNull();
    expect(await relayOutbox(env)).toBe(1);
    expect(await sentAt(event.id)).not.toBeNull();
  });
});

describe("the request path", () => {
  it("a sign-up's event leaves the outbox right after the response, without waiting for the cron", async () => {
    const shop = await openShop();
    const row = await env.DB.prepare(
      "SELECT id FROM outbox WHERE type = 'merchant.registered' AND json_extract(payload, '$.merchantId') = ?",
    )
      .bind(shop.merchantId)
      .first<{ id: string }>();
    expect(row).not.toBeNull();
    await expect.poll(() => sentAt(row?.id ?? ""), { timeout: 10_000 }).not.toBeNull();
  });
});
