import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { demoTrackingNumber } from "../../worker/modules/dev/demo-supplier";
import { dispatchById } from "../../worker/modules/dispatch/repository";
import { newWebhookSecret, webhookHeaders } from "../../worker/modules/dispatch/signature";
import { call } from "../helpers";
import { type DispatchWorld, dispatchOf, dispatchWorld, paidFor, SECRET, setEndpoint } from "../support/dispatch";
import { readOrder } from "../support/orders";
import { expectCode } from "../support/problems";

const PATH = "/api/dev/demo-supplier/webhook";

/** A paid package waiting for its supplier, whose endpoint secret is SECRET; and the request that delivers it. */
async function signedDelivery(world: DispatchWorld, secret = SECRET) {
  const order = await paidFor(world);
  const subOrderId = order.subOrders[0]?.id ?? "";
  await expect.poll(() => dispatchOf(subOrderId), { timeout: 5_000 }).not.toBeNull();
  const dispatch = await dispatchById(env.DB, (await dispatchOf(subOrderId))?.id ?? "");
  if (!dispatch) throw new Error("no dispatch");
  await setEndpoint(world, "/ok");
  const headers = await webhookHeaders([secret], dispatch.id, Math.floor(Date.now() / 1000), dispatch.payload);
  return { orderId: order.id, subOrderId, dispatch, body: dispatch.payload, headers };
}

describe("the demo supplier endpoint (npm start)", () => {
  it("verifies the signature, answers 200, then accepts and ships with SF", async () => {
    const world = await dispatchWorld();
    const { orderId, subOrderId, dispatch, body, headers } = await signedDelivery(world);
    const res = await call(PATH, { method: "POST", body, headers: { ...headers, "content-type": "application/json" } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    await expect
      .poll(async () => (await readOrder(world.buyer, orderId)).subOrders[0]?.status, { timeout: 10_000 })
      .toBe("shipped");
    const shipment = await env.DB.prepare(
      "SELECT carrier_code AS carrier, tracking_number AS number FROM shipments WHERE sub_order_id = ?",
    )
      .bind(subOrderId)
      .first();
    expect(shipment).toEqual({ carrier: "SF", number: await demoTrackingNumber(subOrderId) });
    expect((await dispatchById(env.DB, dispatch.id))?.status).toBe("acknowledged");
  });

  it("the same event received twice (an at-least-once redelivery) ships one parcel, once", async () => {
    const world = await dispatchWorld();
    const { orderId, subOrderId, body, headers } = await signedDelivery(world);
    const send = () =>
      call(PATH, { method: "POST", body, headers: { ...headers, "content-type": "application/json" } });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    await expect
      .poll(async () => (await readOrder(world.buyer, orderId)).subOrders[0]?.status, { timeout: 10_000 })
      .toBe("shipped");
    // Give the second delivery's delayed work time to finish before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const parcels = await env.DB.prepare("SELECT COUNT(*) AS n FROM shipments WHERE sub_order_id = ?")
      .bind(subOrderId)
      .first<{ n: number }>();
    expect(parcels?.n).toBe(1);
    const shippedEntries = (await readOrder(world.buyer, orderId)).timeline.filter(
      (entry) => entry.subOrderId === subOrderId && entry.to === "shipped",
    );
    expect(shippedEntries).toHaveLength(1);
  }, 20_000);

  it("refuses a request signed with another secret (401) or for a dispatch it never heard of (400)", async () => {
    const world = await dispatchWorld();
    const forged = await signedDelivery(world, newWebhookSecret());
    const json = { "content-type": "application/json" };
    const res = await call(PATH, { method: "POST", body: forged.body, headers: { ...forged.headers, ...json } });
    expect(res.status).toBe(401);
    const unknown = { ...forged.headers, "webhook-id": "msg_nobody_knows", ...json };
    expect((await call(PATH, { method: "POST", body: forged.body, headers: unknown })).status).toBe(400);
    expect((await readOrder(world.buyer, forged.orderId)).subOrders[0]?.status).toBe("paid");
  });

  it("does not exist outside development", async () => {
    const ctx = createExecutionContext();
    const request = new Request(`http://localhost${PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const res = await app.fetch(request, { ...env, APP_ENV: "production" }, ctx);
    await waitOnExecutionContext(ctx);
    await expectCode(res, 403, "dev_only");
  });
});
