/**
 * @module refunds/decisions: the shop's decider approves or rejects a request, and an approved refund is paid out.
 * Who decides is the shop's refund policy (`shop_settings.refund_decider`): the merchant by default, or the
 * supplier of the package; the other side may read the refund but not decide it (403).
 *
 * requested → processing (approved) → succeeded | failed (→ processing again on retry), or requested → rejected.
 * Each step is a guarded UPDATE, so repeating a decision answers the refund as it is and the opposite decision after
 * one is 409 `invalid_transition`. Timeline entries carry ids derived from the refund's, so each is written once
 * however often a step is repeated. Paying out is `executeRefund` (idempotent by refund id on the rail and in D1);
 * when the payout leaves nothing of the package unrefunded, the package becomes `refunded`.
 */
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import { type Actor, findSubOrder, linesOf, orderEventStatement } from "../orders/repository";
import { moveSubOrder } from "../orders/service";
import { canMove, goodsLeft } from "../orders/state";
import { paymentsOf } from "../payments/service";
import { executeRefund } from "./ledger";
import {
  approveStatement,
  type Decision,
  findRefund,
  type RefundRow,
  type RefundScope,
  refundDeciderOf,
  refundLineRows,
  rejectStatement,
  retryStatement,
} from "./repository";
import type { RefundView } from "./schemas";
import { refundFor } from "./service";

export interface Decider {
  side: "merchant" | "supplier";
  /** The merchant's or the supplier's id, by side. */
  orgId: string;
  actorId: string;
}

function scopeOf(decider: Decider): RefundScope {
  return decider.side === "merchant"
    ? { kind: "merchant", merchantId: decider.orgId }
    : { kind: "supplier", supplierId: decider.orgId };
}

async function ownRefund(d1: D1Database, decider: Decider, refundId: string): Promise<RefundRow> {
  const row = await findRefund(d1, refundId, scopeOf(decider));
  if (!row) throw new AppError("not_found", `No refund ${refundId}`);
  if (decider.side === "merchant") {
    // A supplier-scoped read already requires the supplier policy; a merchant may read but not decide under it.
    if ((await refundDeciderOf(d1, decider.orgId)) === "supplier") {
      throw new AppError("forbidden", "This shop lets the package's supplier decide refunds");
    }
  }
  return row;
}

function invalid(row: RefundRow, to: string): AppError {
  return new AppError("invalid_transition", `A ${row.status} refund cannot be ${to}`, {
    extensions: { from: row.status, to },
  });
}

/** A timeline entry on the package, written once per refund and step (its id derives from both). */
function entryOnce(d1: D1Database, row: RefundRow, actor: Actor, step: string, nowMs: number, when: string) {
  const id = `oev_${row.id}_${step}`;
  return orderEventStatement(
    d1,
    {
      id,
      orderId: row.orderId,
      subOrderId: row.subOrderId,
      actor,
      from: null,
      to: `refund_${step}`,
      note: row.id,
      atMs: nowMs,
    },
    `SELECT 1 FROM refunds WHERE id = ? AND status IN (${when}) AND NOT EXISTS (SELECT 1 FROM order_events WHERE id = ?)`,
    row.id,
    id,
  );
}

const view = (d1: D1Database, decider: Decider, refundId: string) => refundFor(d1, refundId, scopeOf(decider));

/**
 * Approves a requested refund and pays it out; approving again answers the refund as it is now.
 * @example await approveRefund(env, { merchantId, actorId: userId }, refundId, "已核实")
 */
export async function approveRefund(
  env: Env,
  decider: Decider,
  refundId: string,
  note: string | undefined,
  nowMs = Date.now(),
): Promise<RefundView> {
  const d1 = env.DB;
  let row = await ownRefund(d1, decider, refundId);
  if (row.status === "rejected") throw invalid(row, "approved");
  const actor: Actor = { type: decider.side, id: decider.actorId };
  if (row.status === "requested") {
    const sub = await findSubOrder(d1, row.subOrderId);
    const decision: Decision = { actorType: decider.side, actorId: decider.actorId, note: note || null, nowMs };
    await d1.batch([
      // Units go back on sale only if they never left the supplier, as the package stands when approved.
      approveStatement(d1, row.id, decision, sub ? goodsLeft(sub.status) : true),
      entryOnce(d1, row, actor, "approved", nowMs, "'processing'"),
    ]);
    row = await ownRefund(d1, decider, refundId);
    if (row.status === "rejected") throw invalid(row, "approved");
  }
  await payOut(env, row, actor, nowMs);
  return view(d1, decider, refundId);
}

export async function rejectRefund(
  env: Env,
  decider: Decider,
  refundId: string,
  reason: string,
  nowMs = Date.now(),
): Promise<RefundView> {
  const d1 = env.DB;
  const row = await ownRefund(d1, decider, refundId);
  if (row.status === "requested") {
    const decision: Decision = { actorType: decider.side, actorId: decider.actorId, note: reason, nowMs };
    await d1.batch([
      rejectStatement(d1, row.id, decision),
      entryOnce(d1, row, { type: decider.side, id: decider.actorId }, "rejected", nowMs, "'rejected'"),
    ]);
  }
  const now = await ownRefund(d1, decider, refundId);
  if (now.status !== "rejected") throw invalid(now, "rejected");
  return view(d1, decider, refundId);
}

/** Sends a refund whose payout failed to the rail again; a refund that has succeeded meanwhile is answered as is. */
export async function retryRefund(env: Env, decider: Decider, refundId: string, nowMs = Date.now()) {
  const d1 = env.DB;
  let row = await ownRefund(d1, decider, refundId);
  if (row.status === "requested" || row.status === "rejected") throw invalid(row, "retried");
  if (row.status === "failed") {
    await retryStatement(d1, row.id).run();
    row = await ownRefund(d1, decider, refundId);
  }
  await payOut(env, row, { type: decider.side, id: decider.actorId }, nowMs);
  return view(d1, decider, refundId);
}

/**
 * Pays out a `processing` refund and finishes a `succeeded` one (timeline entry, package → refunded); both steps
 * are safe to repeat, so a crash between them heals on the next approve or retry.
 */
export async function payOut(env: Env, row: RefundRow, actor: Actor, nowMs: number): Promise<void> {
  const d1 = env.DB;
  let status = row.status;
  if (status === "processing") {
    const payment = (await paymentsOf(d1, row.orderId)).find((p) => p.status === "paid");
    if (!payment) throw new AppError("refund_not_allowed", "The order has no payment to refund");
    const lines = await refundLineRows(d1, [row.id]);
    const restock = new Map<string, number>();
    if (row.shipped !== 1) for (const l of lines) restock.set(l.skuId, (restock.get(l.skuId) ?? 0) + l.quantity);
    status = await executeRefund(
      env,
      {
        id: row.id,
        orderId: row.orderId,
        subOrderId: row.subOrderId,
        merchantId: row.merchantId,
        supplierId: row.supplierId,
        amountFen: row.amountFen,
        paymentId: payment.id,
        reason: row.reason,
        restock: [...restock].map(([skuId, quantity]) => ({ skuId, quantity })),
      },
      nowMs,
    );
    if (status === "failed") {
      const failed = await findRefund(d1, row.id, { kind: "platform" });
      await orderEventStatement(d1, {
        id: newId("oev", nowMs),
        orderId: row.orderId,
        subOrderId: row.subOrderId,
        actor: { type: "payment", id: null },
        from: null,
        to: "refund_failed",
        note: `${row.id} ${failed?.decisionNote ?? ""}`.trim(),
        atMs: nowMs,
      }).run();
    }
  }
  if (status !== "succeeded") return;
  // A millisecond apart, so the timeline (ordered by time) reads approved → succeeded → refunded.
  await entryOnce(d1, row, actor, "succeeded", nowMs + 1, "'succeeded'").run();
  const sub = await findSubOrder(d1, row.subOrderId);
  const lines = (await linesOf(d1, row.orderId)).filter((line) => line.subOrderId === row.subOrderId);
  const allBack = lines.every((line) => line.refundedQuantity >= line.quantity);
  if (sub && allBack && canMove(sub.status, "refunded")) {
    await moveSubOrder(d1, sub.id, "refunded", actor, { note: row.id, nowMs: nowMs + 2 });
  }
}
