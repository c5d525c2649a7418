import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeEvent } from "../../worker/events/outbox";
import {
  deadLetter,
  delivery,
  EVENTS_QUEUE,
  merchantRegistered,
  notificationsFromEvent,
  runQueue,
} from "../support/events";

async function processedMarkers(eventId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM processed_events WHERE event_id = ?")
    .bind(eventId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("consuming domain events", () => {
  it("a merchant.registered event puts one note in the platform inbox and one in the merchant's", async () => {
    const event = merchantRegistered();
    const result = await runQueue(EVENTS_QUEUE, [delivery(event)]);
    expect(result.retryMessages).toEqual([]);
    const rows = await notificationsFromEvent(event.id);
    expect(rows).toEqual([
      { org_type: "merchant", org_id: event.payload.merchantId, title: "欢迎开店" },
      { org_type: "platform", org_id: "platform", title: `新商户入驻：${event.payload.name}` },
    ]);
  });

  it("an event delivered twice in one batch and again in a later batch has its effect once, and every copy is acked", async () => {
    const event = merchantRegistered();
    const first = delivery(event);
    const duplicate = delivery(event);
    const batchOne = await runQueue(EVENTS_QUEUE, [first, duplicate]);
    expect(batchOne.explicitAcks.sort()).toEqual([first.id, duplicate.id].sort());
    expect(batchOne.retryMessages).toEqual([]);

    const redelivery = delivery(event, 2);
    const batchTwo = await runQueue(EVENTS_QUEUE, [redelivery]);
    expect(batchTwo.explicitAcks).toEqual([redelivery.id]);
    expect(batchTwo.retryMessages).toEqual([]);

    const rows = await notificationsFromEvent(event.id);
    expect(rows.map((r) => r.org_type)).toEqual(["merchant", "platform"]);
    expect(await processedMarkers(event.id)).toBe(1);
  });

  it("two different events in one batch each have their effect", async () => {
    const a = merchantRegistered();
    const b = makeEvent("supplier.applied", { supplierId: "sup_batchpeer1", name: "批量供应商" });
    const result = await runQueue(EVENTS_QUEUE, [delivery(a), delivery(b)]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await notificationsFromEvent(a.id)).toHaveLength(2);
    expect(await notificationsFromEvent(b.id)).toEqual([
      { org_type: "platform", org_id: "platform", title: "供应商申请：批量供应商" },
    ]);
  });

  it("a supplier.status_changed event reaches only that supplier's inbox, with the reason", async () => {
    const event = makeEvent("supplier.status_changed", {
      supplierId: "sup_statusnote1",
      name: "某供应商",
      from: "pending",
      to: "rejected",
      reason: "资料不全",
    });
    await runQueue(EVENTS_QUEUE, [delivery(event)]);
    const row = await env.DB.prepare(
      "SELECT org_type, org_id, title, body FROM notifications WHERE source_event_id = ?",
    )
      .bind(event.id)
      .first();
    expect(row).toEqual({
      org_type: "supplier",
      org_id: "sup_statusnote1",
      title: "供应商未通过审核",
      body: "原因：资料不全",
    });
  });

  it("a well-formed event leaves nothing in dead letters", async () => {
    const event = merchantRegistered();
    await runQueue(EVENTS_QUEUE, [delivery(event)]);
    expect(await deadLetter(event.id)).toBeNull();
  });
});
