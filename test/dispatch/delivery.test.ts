import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { backoffSeconds } from "../../worker/modules/dispatch/consumer";
import {
  type DispatchWorld,
  dispatchOf,
  dispatchWorld,
  paidFor,
  received,
  SECRET,
  setEndpoint,
} from "../support/dispatch";
import { runQueue, runQueueWithDelays } from "../support/events";
import { readOrder } from "../support/orders";

async function pendingDispatch(world: DispatchWorld): Promise<{ id: string; subOrderId: string }> {
  const order = await paidFor(world);
  const sub = order.subOrders[0];
  if (!sub) throw new Error("no sub-order");
  await expect.poll(() => dispatchOf(sub.id), { timeout: 5_000 }).not.toBeNull();
  const row = await dispatchOf(sub.id);
  if (!row) throw new Error("no dispatch");
  return { id: row.id, subOrderId: sub.id };
}

describe("a paid sub-order reaches its supplier's webhook", () => {
  it("end to end through the queues: signed per Standard Webhooks, verified by the spec's library", async () => {
    const world = await dispatchWorld();
    await setEndpoint(world, "/ok");
    const order = await paidFor(world, 2);
    await expect.poll(async () => (await received(world)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const [first] = await received(world);
    if (!first) throw new Error("nothing received");
    const event = new Webhook(SECRET).verify(first.body, first.headers) as {
      type: string;
      data: { subOrderId: string; lines: { skuCode: string; quantity: number }[]; recipient: { name: string } };
    };
    expect(event.type).toBe("order.dispatch.v1");
    expect(event.data.subOrderId).toBe(order.subOrders[0]?.id);
    expect(event.data.lines.map((l) => l.quantity)).toEqual([2]);
    expect(event.data.recipient.name).toBe("张三");
    // The merchant's resale price and the shopper's total never leave for the supplier.
    expect(first.body).not.toContain("5990");
    expect(first.body).not.toContain(String(order.totalFen));
    await expect
      .poll(async () => (await readOrder(world.buyer, order.id)).subOrders[0]?.status, { timeout: 5_000 })
      .toBe("dispatched");
  });

  it("a 500 is retried later with backoff; the webhook-id stays the same on every attempt", async () => {
    const world = await dispatchWorld();
    const { id, subOrderId } = await pendingDispatch(world);
    await setEndpoint(world, "/fail", "&until=3");
    const first = await runQueueWithDelays("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toEqual([{ msgId: "m1" }]);
    expect(first.delays[0]).toBeGreaterThanOrEqual(8);
    expect(first.delays[0]).toBeLessThanOrEqual(12);
    const second = await runQueueWithDelays("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 2 }]);
    expect(second.delays[0]).toBeGreaterThanOrEqual(16);
    expect(second.delays[0]).toBeLessThanOrEqual(24);
    const third = await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 3 }]);
    expect(third.explicitAcks).toEqual(["m1"]);
    const ids = (await received(world)).map((r) => r.headers["webhook-id"]);
    expect(ids).toEqual([id, id, id]);
    expect(await dispatchOf(subOrderId)).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200 });
  });

  it("no answer within the timeout counts as a failure to retry, not a success", async () => {
    const world = await dispatchWorld();
    const { id } = await pendingDispatch(world);
    await setEndpoint(world, "/hang", "&ms=1500");
    const result = await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect(result.retryMessages).toHaveLength(1);
    const attempt = await env.DB.prepare(
      "SELECT error, status_code AS code FROM dispatch_attempts WHERE dispatch_id = ?",
    )
      .bind(id)
      .first<{ error: string; code: number | null }>();
    expect(attempt).toEqual({ error: "timeout", code: null });
  });

  it("429 with Retry-After waits at least that long", async () => {
    const world = await dispatchWorld();
    const { id } = await pendingDispatch(world);
    await setEndpoint(world, "/busy");
    const result = await runQueueWithDelays("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect(result.delays).toEqual([120]);
  });

  it("a 400 is not retried: the dispatch fails and shows why", async () => {
    const world = await dispatchWorld();
    const { id, subOrderId } = await pendingDispatch(world);
    await setEndpoint(world, "/reject");
    const result = await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await dispatchOf(subOrderId)).toMatchObject({ status: "failed", lastStatusCode: 400, attempts: 1 });
  });

  it("a 410 disables the endpoint and leaves the dispatch waiting in the pull API", async () => {
    const world = await dispatchWorld();
    const { id, subOrderId } = await pendingDispatch(world);
    await setEndpoint(world, "/gone");
    const result = await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    const endpoint = await env.DB.prepare("SELECT status FROM supplier_endpoints WHERE supplier_id = ?")
      .bind(world.supplier.supplierId)
      .first<{ status: string }>();
    expect(endpoint?.status).toBe("disabled");
    expect(await dispatchOf(subOrderId)).toMatchObject({ status: "pending", lastStatusCode: 410 });
  });

  it("after the last retry the dead-letter queue marks the dispatch failed", async () => {
    const world = await dispatchWorld();
    const { id, subOrderId } = await pendingDispatch(world);
    const result = await runQueue("supplier-dispatch-dlq", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await dispatchOf(subOrderId)).toMatchObject({ status: "failed" });
  });

  it("a dispatch already delivered is not sent again when its message comes back", async () => {
    const world = await dispatchWorld();
    const { id } = await pendingDispatch(world);
    await setEndpoint(world, "/ok");
    await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    await runQueue("supplier-dispatch", [{ id: "m2", body: { dispatchId: id }, attempts: 1 }]);
    expect((await received(world)).length).toBe(1);
  });
});

describe("the backoff schedule", () => {
  it("doubles from 10 s with ±20 % jitter, caps at an hour, and never undercuts Retry-After", () => {
    expect(backoffSeconds(1, null, 0.5)).toBe(10);
    expect(backoffSeconds(2, null, 0.5)).toBe(20);
    expect(backoffSeconds(4, null, 0.5)).toBe(80);
    expect(backoffSeconds(1, null, 0)).toBe(8);
    expect(backoffSeconds(1, null, 0.999)).toBe(12);
    expect(backoffSeconds(20, null, 0.5)).toBe(3600);
    expect(backoffSeconds(1, 300, 0.5)).toBe(300);
    expect(backoffSeconds(1, 10 ** 6, 0.5)).toBe(43_200);
  });
});
