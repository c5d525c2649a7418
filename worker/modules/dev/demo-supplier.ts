/**
 * @module dev/demo-supplier: a pretend supplier system for `npm start`, so a local purchase goes all the way from
 * paid to shipped without anyone pressing buttons. The demo seed points 家居优选工厂 (sup_demo_home) at
 * `POST /api/dev/demo-supplier/webhook`; this verifies the request exactly as a real supplier would (the
 * `standardwebhooks` library with the endpoint's secret), answers 200 at once, and a few seconds later accepts the
 * package and ships it with SF and a made-up tracking number through the same fulfilment service the supplier API
 * uses. Mounted by dev/routes.ts, which refuses it outside APP_ENV=development.
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { sha256Hex } from "../../lib/crypto";
import { log } from "../../middleware/request-log";
import { DISPATCH_EVENT, type DispatchPayload } from "../dispatch/payload";
import { dispatchById, endpointOf } from "../dispatch/repository";
import { acceptSubOrder, shipSubOrder } from "../fulfilment/service";

/** Long enough to watch the package sit at 已派单 in the console, short enough not to wait for it. */
export const DEMO_SHIP_DELAY_MS = 3_000;

export type DemoAnswer =
  | { ok: true; subOrderId: string; supplierId: string }
  | { ok: false; status: 400 | 401; reason: string };

/**
 * An SF-looking waybill number derived from the package, so a re-delivered webhook ships nothing twice (the
 * fulfilment service refuses a second parcel with the same number).
 */
export async function demoTrackingNumber(subOrderId: string): Promise<string> {
  const digits = BigInt(`0x${(await sha256Hex(subOrderId)).slice(0, 16)}`) % 10n ** 13n;
  return `SF${digits.toString().padStart(13, "0")}`;
}

/** Checks the request as a supplier would: whose dispatch is it, and does that supplier's secret sign it? */
export async function verifyDemoDispatch(
  d1: D1Database,
  body: string,
  headers: Record<string, string>,
): Promise<DemoAnswer> {
  const dispatch = await dispatchById(d1, headers["webhook-id"] ?? "");
  if (!dispatch) return { ok: false, status: 400, reason: "unknown webhook-id" };
  const endpoint = await endpointOf(d1, dispatch.supplierId);
  if (!endpoint) return { ok: false, status: 401, reason: "no endpoint secret for this supplier" };
  let event: DispatchPayload;
  try {
    event = new Webhook(endpoint.secret).verify(body, headers) as DispatchPayload;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return { ok: false, status: 401, reason: error.message };
    throw error;
  }
  if (event.type !== DISPATCH_EVENT) return { ok: false, status: 400, reason: `unexpected event ${event.type}` };
  return { ok: true, subOrderId: event.data.subOrderId, supplierId: dispatch.supplierId };
}

/** What the demo supplier does with an order it received: accept it, then ship everything in one parcel. */
export async function acceptAndShip(env: Env, supplierId: string, subOrderId: string, delayMs = DEMO_SHIP_DELAY_MS) {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  try {
    await acceptSubOrder(env, supplierId, subOrderId);
    const trackingNumber = await demoTrackingNumber(subOrderId);
    await shipSubOrder(env, supplierId, subOrderId, { carrierCode: "SF", trackingNumber });
    log("info", "demo supplier shipped", { subOrderId, trackingNumber });
  } catch (error) {
    // A re-sent webhook, or a package refunded meanwhile: the demo supplier just does not ship it (again).
    log("info", "demo supplier did not ship", { subOrderId, error: String(error) });
  }
}
