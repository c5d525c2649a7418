/**
 * @module dispatch/service: turning a paid sub-order into a dispatch and putting it on the queue.
 *
 * The dispatch row is written first (idempotent on sub-order + supplier), then the message is sent; a crash in
 * between leaves the event unprocessed, so it is redelivered and sends again. Suppliers without an active endpoint
 * get the same row, which waits in the pull API.
 */
import type { Effects, Subscriber } from "../../events/consumer";
import { findSubOrder, type SubOrderRow } from "../orders/repository";
import { buildDispatchPayload, DISPATCH_EVENT, dispatchIdOf } from "./payload";
import { dispatchById, endpointOf, insertDispatchStatement } from "./repository";

/** Creates (or finds) the dispatch of a sub-order to its current supplier and queues it for the webhook. */
export async function dispatchSubOrder(env: Env, sub: SubOrderRow, nowMs = Date.now()): Promise<string | null> {
  const id = dispatchIdOf(sub.id, sub.supplierId);
  const existing = await dispatchById(env.DB, id);
  if (!existing) {
    const payload = await buildDispatchPayload(env.DB, sub, nowMs);
    if (!payload || payload.data.lines.length === 0) return null;
    await insertDispatchStatement(
      env.DB,
      {
        id,
        subOrderId: sub.id,
        supplierId: sub.supplierId,
        merchantId: sub.merchantId,
        eventType: DISPATCH_EVENT,
        payload: JSON.stringify(payload),
      },
      nowMs,
    ).run();
  }
  const endpoint = await endpointOf(env.DB, sub.supplierId);
  if (endpoint?.status === "active" && (existing?.status ?? "pending") === "pending") {
    await env.DISPATCH_QUEUE.send({ dispatchId: id }, { contentType: "json" });
  }
  return id;
}

export const dispatchSubscriber: Subscriber = {
  name: "supplier-dispatch",
  types: ["sub_order.status_changed"],
  async handle(event, env): Promise<Effects> {
    if (event.type !== "sub_order.status_changed" || event.payload.to !== "paid") return [];
    const sub = await findSubOrder(env.DB, event.payload.subOrderId);
    // A sub-order refunded or cancelled before this event arrived needs no dispatch.
    if (sub?.status !== "paid") return [];
    await dispatchSubOrder(env, sub);
    return [];
  },
};
