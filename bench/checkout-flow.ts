/**
 * The timed part of the checkout benchmark: one shopper's purchase (add to cart → checkout → start payment →
 * devpay's 支付 → the order shows paid), each step's latency recorded under its name, and every answer the flow
 * did not expect kept with its status and body for the report.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { type Answer, type Client, json, problemCode } from "./checkout-client.ts";
import type { Shopper } from "./checkout-setup.ts";

export const STEPS = {
  cart: "add to cart",
  checkout: "checkout → 201 order",
  soldOut: "checkout → 409 sold out",
  payStart: "start payment (/pay)",
  devpay: "devpay 支付 (root host)",
  paidPoll: "支付 → paid, notify (poll GET)",
  paidSync: "支付 → paid, sync-payment",
  purchase: "whole purchase (cart → paid)",
} as const;
export type Step = (typeof STEPS)[keyof typeof STEPS];

/** How a shopper learns the order is paid: wait for the rail's notification, or ask the rail through our API. */
export type PaidVia = "poll" | "sync";

export type Outcome = "paid" | "sold_out" | "error";

export class Recorder {
  readonly samples = new Map<Step, number[]>();
  readonly errors: string[] = [];

  add(step: Step, ms: number): void {
    const list = this.samples.get(step) ?? [];
    list.push(ms);
    this.samples.set(step, list);
  }

  error(shopper: Shopper, what: string, answer?: Answer): void {
    const detail = answer ? `${answer.status} ${answer.body.slice(0, 400)}` : "";
    this.errors.push(`shopper ${shopper.index} (${shopper.phone}) ${what} ${detail}`.trim());
  }
}

const Order = z.object({ id: z.string(), status: z.string() });
const PaymentStart = z.object({ prepayId: z.string() });

const POLL_EVERY_MS = 50;
const PAID_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks until the order reads "paid"; the figure runs from the end of 支付, not from the first ask. */
async function waitForPaid(shopper: Shopper, orderId: string, via: PaidVia): Promise<Answer | undefined> {
  const deadline = performance.now() + PAID_TIMEOUT_MS;
  let last: Answer | undefined;
  while (performance.now() < deadline) {
    last =
      via === "poll"
        ? await shopper.client.send("GET", `/api/shop/orders/${orderId}`)
        : await shopper.client.send("POST", `/api/shop/orders/${orderId}/sync-payment`);
    if (last.status !== 200) return last;
    if (Order.parse(json(last, "order")).status === "paid") return undefined;
    await sleep(POLL_EVERY_MS);
  }
  return last;
}

export async function purchase(
  shopper: Shopper,
  skuId: string,
  via: PaidVia,
  root: Client,
  rec: Recorder,
): Promise<Outcome> {
  const started = performance.now();
  const added = await shopper.client.send("POST", "/api/shop/cart/lines", {
    body: { skuId, quantity: 1 },
    headers: { "x-requested-with": "fetch" },
  });
  if (added.status !== 200) return fail(rec, shopper, "add to cart", added);
  rec.add(STEPS.cart, added.ms);

  const checkout = await shopper.client.send("POST", "/api/shop/checkout", {
    body: { addressId: shopper.addressId },
    headers: { "idempotency-key": randomUUID() },
  });
  if (checkout.status === 409 && problemCode(checkout) === "insufficient_stock") {
    rec.add(STEPS.soldOut, checkout.ms);
    return "sold_out";
  }
  if (checkout.status !== 201) return fail(rec, shopper, "checkout", checkout);
  rec.add(STEPS.checkout, checkout.ms);
  const order = Order.parse(json(checkout, "checkout"));

  const start = await shopper.client.send("POST", `/api/shop/orders/${order.id}/pay`);
  if (start.status !== 200) return fail(rec, shopper, `pay ${order.id}`, start);
  rec.add(STEPS.payStart, start.ms);
  const { prepayId } = PaymentStart.parse(json(start, "pay"));

  const paid = await root.send("POST", `/api/devpay/prepays/${prepayId}/pay`);
  if (paid.status !== 200) return fail(rec, shopper, `devpay ${prepayId}`, paid);
  rec.add(STEPS.devpay, paid.ms);

  const afterPay = performance.now();
  const stuck = await waitForPaid(shopper, order.id, via);
  if (stuck) return fail(rec, shopper, `order ${order.id} not paid within ${PAID_TIMEOUT_MS} ms (${via})`, stuck);
  const now = performance.now();
  rec.add(via === "poll" ? STEPS.paidPoll : STEPS.paidSync, now - afterPay);
  rec.add(STEPS.purchase, now - started);
  return "paid";
}

function fail(rec: Recorder, shopper: Shopper, what: string, answer: Answer): Outcome {
  rec.error(shopper, what, answer);
  return "error";
}

/**
 * The baseline: as many concurrent requests as there are shoppers, each on its shopper's own connection, to a route
 * that does almost nothing, so the ratios show what checkout adds over the runtime, the loopback and the load.
 */
export async function burst(shoppers: Shopper[], path: string, rounds: number): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const answers = await Promise.all(shoppers.map((s) => s.client.send("GET", path)));
    for (const answer of answers) {
      if (answer.status !== 200) throw new Error(`baseline ${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
      samples.push(answer.ms);
    }
  }
  return samples;
}
