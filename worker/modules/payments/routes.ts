/**
 * @module payments/routes: the rail's callback (`/api/payments/{provider}/notify`) and, while devpay is the rail,
 * the actions of its hosted pay page (`/api/devpay/prepays/…`). None of these carry a user session: the callback is
 * trusted only through the rail's signature, and the pay page only moves devpay's own books.
 */
import { z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { createRoute, jsonOk, problems, router } from "../../lib/openapi";
import { tradeByPrepay } from "./devpay/provider";
import { payPrepay } from "./devpay/rail";
import { handleNotification } from "./service";

export const paymentRoutes = router();
const tags = ["Payments"];

const ProviderParams = z.object({ provider: z.string().regex(/^[a-z]{2,20}$/) });
const PrepayParams = z.object({ prepayId: z.string().regex(/^dpp_[0-9A-Za-z_]{1,60}$/, "Not a devpay prepay id") });

paymentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/payments/{provider}/notify",
    tags,
    summary: "The payment rail's signed notification (at least once, maybe twice, maybe out of order)",
    request: { params: ProviderParams },
    responses: {
      200: jsonOk(z.object({ code: z.literal("SUCCESS"), duplicate: z.boolean() }), "Accepted"),
      ...problems("validation_failed", "signature_invalid", "not_found"),
    },
  }),
  async (c) => {
    if (c.req.valid("param").provider !== c.env.PAYMENT_PROVIDER) throw new AppError("not_found", "No such rail here");
    const outcome = await handleNotification(c.env, c.req.raw.headers, await c.req.text());
    return c.json({ code: "SUCCESS" as const, duplicate: outcome === "duplicate" }, 200);
  },
);

function requireDevpay(env: Env): void {
  if (env.PAYMENT_PROVIDER !== "devpay") throw new AppError("not_found", "devpay is not the payment rail here");
}

const TradeSchema = z.object({
  prepayId: z.string(),
  description: z.string(),
  amountFen: z.number().int(),
  state: z.enum(["pending", "paid", "cancelled", "closed"]),
  expiresAtMs: z.number().int(),
  returnUrl: z.string(),
});

paymentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/devpay/prepays/{prepayId}",
    tags,
    summary: "devpay: what its hosted pay page shows",
    request: { params: PrepayParams },
    responses: { 200: jsonOk(TradeSchema, "The payment"), ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    requireDevpay(c.env);
    const trade = await tradeByPrepay(c.env.DB, c.req.valid("param").prepayId);
    if (!trade) throw new AppError("not_found", "No such payment");
    return c.json(
      {
        prepayId: trade.prepayId,
        description: trade.description,
        amountFen: trade.amountFen,
        state: trade.state,
        expiresAtMs: trade.expiresAtMs,
        returnUrl: trade.returnUrl,
      },
      200,
    );
  },
);

paymentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/devpay/prepays/{prepayId}/pay",
    tags,
    summary: "devpay: the 支付 button (pays once; a second press changes nothing)",
    request: { params: PrepayParams },
    responses: {
      200: jsonOk(z.object({ returnUrl: z.string() }), "Paid; go back to the shop"),
      ...problems("validation_failed", "not_found", "order_not_payable"),
    },
  }),
  async (c) => {
    requireDevpay(c.env);
    const outcome = await payPrepay(c.env, c.req.valid("param").prepayId);
    if (outcome.ok) return c.json({ returnUrl: outcome.returnUrl }, 200);
    if (outcome.reason === "unknown") throw new AppError("not_found", "No such payment");
    throw new AppError("order_not_payable", `This payment is ${outcome.reason}`);
  },
);
