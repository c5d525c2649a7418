/**
 * @module orders/service: reading orders for whoever may see them, and every state change of an order.
 *
 * Exactly once: each change is one D1 batch whose first statement is a guarded UPDATE (`WHERE status IN (…)`); the
 * timeline entry is inserted only if the row reached the new state and no earlier entry records that state (the
 * machine never re-enters a state), and every further statement of the batch, the domain event included, is
 * guarded on that entry's id. Whoever loses a race writes nothing.
 */
import type { SubOrderStatus } from "../../db/schema";
import { AppError } from "../../errors";
import { makeEvent, outboxInsertWhen } from "../../events/outbox";
import type { DomainEvent } from "../../events/types";
import { newId } from "../../lib/crypto";
import {
  type Actor,
  findOrder,
  findSubOrder,
  type OrderRow,
  type OrderScope,
  orderEventStatement,
  subOrdersOf,
} from "./repository";
import type { OrderView } from "./schemas";
import { canMove, STAMP, sourcesOf } from "./state";
import { loadOrderView } from "./views";

export async function orderViewFor(d1: D1Database, orderId: string, scope: OrderScope): Promise<OrderView> {
  const order = await findOrder(d1, orderId, scope);
  if (!order) throw new AppError("not_found", `No order ${orderId}`);
  return loadOrderView(d1, order);
}

const EVENT_EXISTS = "SELECT 1 FROM order_events WHERE id = ?";

function firstParentEntry(orderId: string, status: string): [string, ...unknown[]] {
  return [
    `SELECT 1 FROM orders WHERE id = ? AND status = ? AND NOT EXISTS
       (SELECT 1 FROM order_events WHERE order_id = ? AND sub_order_id IS NULL AND to_status = ?)`,
    orderId,
    status,
    orderId,
    status,
  ];
}

export interface PaidFacts {
  paymentId: string;
  transactionId: string;
  paidAtMs: number;
}

interface ParentMove {
  to: "paid" | "cancelled";
  actor: Actor;
  note: string | null;
  /** `SET` assignments for the parent beyond status (bound as ?2…); the UPDATE only matches an unpaid order. */
  orderSet: string;
  orderParams: unknown[];
  /** When the sub-orders reached the new state (`paid_at_ms`), or nothing to stamp. */
  subStamp: { column: string; atMs: number } | null;
  event: DomainEvent;
  extra: D1PreparedStatement[];
}

/**
 * An unpaid order and all its unpaid sub-orders move to `to` in one batch; every statement after the guarded
 * UPDATE only takes effect if this call wrote the parent's first entry for that state.
 */
async function moveParent(d1: D1Database, order: OrderRow, move: ParentMove, nowMs: number): Promise<boolean> {
  const subs = await subOrdersOf(d1, order.id);
  const entryId = newId("oev", nowMs);
  const [guardSql, ...guardParams] = firstParentEntry(order.id, move.to);
  const stamp = move.subStamp ? `, ${move.subStamp.column} = ?4` : "";
  await d1.batch([
    d1
      .prepare(`UPDATE orders SET status = '${move.to}', ${move.orderSet} WHERE id = ?1 AND status = 'pending_payment'`)
      .bind(order.id, ...move.orderParams),
    orderEventStatement(
      d1,
      {
        id: entryId,
        orderId: order.id,
        subOrderId: null,
        actor: move.actor,
        from: "pending_payment",
        to: move.to,
        note: move.note,
        atMs: nowMs,
      },
      guardSql,
      ...guardParams,
    ),
    d1
      .prepare(
        `UPDATE sub_orders SET status = '${move.to}', updated_at_ms = ?2${stamp}
         WHERE order_id = ?1 AND status = 'pending_payment' AND EXISTS (SELECT 1 FROM order_events WHERE id = ?3)`,
      )
      .bind(order.id, nowMs, entryId, ...(move.subStamp ? [move.subStamp.atMs] : [])),
    ...subs.flatMap((sub) =>
      subOrderChangeStatements(d1, sub, "pending_payment", move.to, move.actor, null, nowMs, entryId),
    ),
    ...move.extra,
    outboxInsertWhen(d1, move.event, EVENT_EXISTS, entryId),
  ]);
  return (await d1.prepare(EVENT_EXISTS).bind(entryId).first()) !== null;
}

async function systemOrder(d1: D1Database, orderId: string): Promise<OrderRow> {
  const order = await findOrder(d1, orderId, { kind: "system" });
  if (!order) throw new AppError("not_found", `No order ${orderId}`);
  return order;
}

/**
 * The order's money arrived: the parent and every unpaid sub-order become `paid`, the payment row records the
 * transaction, and `order.paid` is emitted — once, however many notifications and queries report it.
 * @returns whether this call made the change
 */
export async function recordPaid(
  d1: D1Database,
  orderId: string,
  facts: PaidFacts,
  nowMs = Date.now(),
): Promise<boolean> {
  const order = await systemOrder(d1, orderId);
  const subs = await subOrdersOf(d1, orderId);
  const event = makeEvent(
    "order.paid",
    {
      orderId,
      number: order.number,
      merchantId: order.merchantId,
      shopperId: order.shopperId,
      paidFen: order.totalFen,
      subOrders: subs.map((s) => ({ subOrderId: s.id, supplierId: s.supplierId, totalFen: s.totalFen })),
    },
    nowMs,
  );
  return moveParent(
    d1,
    order,
    {
      to: "paid",
      actor: { type: "payment", id: facts.transactionId },
      note: null,
      orderSet: "paid_at_ms = ?2, updated_at_ms = ?3",
      orderParams: [facts.paidAtMs, nowMs],
      subStamp: { column: "paid_at_ms", atMs: facts.paidAtMs },
      event,
      extra: [
        d1
          .prepare(
            `UPDATE payments SET status = 'paid', transaction_id = ?2, paid_at_ms = ?3
             WHERE id = ?1 AND status != 'paid'`,
          )
          .bind(facts.paymentId, facts.transactionId, facts.paidAtMs),
      ],
    },
    nowMs,
  );
}

/** The timeline entry and domain event of one sub-order's move, both guarded on the batch's leading entry. */
function subOrderChangeStatements(
  d1: D1Database,
  sub: { id: string; orderId: string; merchantId: string; supplierId: string },
  from: SubOrderStatus,
  to: SubOrderStatus,
  actor: Actor,
  note: string | null,
  nowMs: number,
  guardEntryId: string,
): D1PreparedStatement[] {
  const entryId = newId("oev", nowMs);
  const event = makeEvent(
    "sub_order.status_changed",
    { subOrderId: sub.id, orderId: sub.orderId, merchantId: sub.merchantId, supplierId: sub.supplierId, from, to },
    nowMs,
  );
  return [
    orderEventStatement(
      d1,
      { id: entryId, orderId: sub.orderId, subOrderId: sub.id, actor, from, to, note, atMs: nowMs },
      `SELECT 1 FROM order_events g WHERE g.id = ? AND EXISTS (SELECT 1 FROM sub_orders WHERE id = ? AND status = ?)
         AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.sub_order_id = ? AND e.to_status = ?)`,
      guardEntryId,
      sub.id,
      to,
      sub.id,
      to,
    ),
    outboxInsertWhen(d1, event, EVENT_EXISTS, entryId),
  ];
}

/**
 * Cancels an unpaid order (timeout, the shopper, or a failed payment): the parent and its sub-orders become
 * `cancelled`. Stock is released by the caller (`releaseAll`), which is safe to repeat.
 * @returns whether this call made the change
 */
export async function recordCancelled(
  d1: D1Database,
  orderId: string,
  actor: Actor,
  reason: string,
  nowMs = Date.now(),
): Promise<boolean> {
  const order = await systemOrder(d1, orderId);
  return moveParent(
    d1,
    order,
    {
      to: "cancelled",
      actor,
      note: reason,
      orderSet: "cancelled_at_ms = ?2, cancel_reason = ?3, updated_at_ms = ?2",
      orderParams: [nowMs, reason],
      subStamp: null,
      event: makeEvent(
        "order.cancelled",
        { orderId, number: order.number, merchantId: order.merchantId, reason },
        nowMs,
      ),
      extra: [],
    },
    nowMs,
  );
}

/**
 * Moves one sub-order along its machine (dispatch, shipping, delivery, completion, refund). Asking for the state it
 * is already in is a no-op (retries are safe); a move the machine does not allow is 409 `invalid_transition`.
 * @example await moveSubOrder(env.DB, subOrderId, "shipped", { type: "supplier", id: supplierId })
 */
export async function moveSubOrder(
  d1: D1Database,
  subOrderId: string,
  to: SubOrderStatus,
  actor: Actor,
  options: { note?: string; nowMs?: number } = {},
): Promise<{ changed: boolean; from: SubOrderStatus }> {
  const nowMs = options.nowMs ?? Date.now();
  const sub = await findSubOrder(d1, subOrderId);
  if (!sub) throw new AppError("not_found", `No sub-order ${subOrderId}`);
  if (sub.status === to) return { changed: false, from: sub.status };
  if (!canMove(sub.status, to)) {
    throw new AppError("invalid_transition", `A ${sub.status} sub-order cannot become ${to}`, {
      extensions: { from: sub.status, to },
    });
  }
  const sources = sourcesOf(to);
  const stamp = STAMP[to];
  const leadId = newId("oev", nowMs);
  await d1.batch([
    d1
      .prepare(
        `UPDATE sub_orders SET status = ?2, updated_at_ms = ?3${stamp ? `, ${stamp} = ?3` : ""}
         WHERE id = ?1 AND status IN (${sources.map((s) => `'${s}'`).join(", ")})`,
      )
      .bind(subOrderId, to, nowMs),
    orderEventStatement(
      d1,
      {
        id: leadId,
        orderId: sub.orderId,
        subOrderId,
        actor,
        from: sub.status,
        to,
        note: options.note ?? null,
        atMs: nowMs,
      },
      `SELECT 1 FROM sub_orders WHERE id = ? AND status = ? AND NOT EXISTS
         (SELECT 1 FROM order_events e WHERE e.sub_order_id = ? AND e.to_status = ?)`,
      subOrderId,
      to,
      subOrderId,
      to,
    ),
    outboxInsertWhen(
      d1,
      makeEvent(
        "sub_order.status_changed",
        {
          subOrderId,
          orderId: sub.orderId,
          merchantId: sub.merchantId,
          supplierId: sub.supplierId,
          from: sub.status,
          to,
        },
        nowMs,
      ),
      EVENT_EXISTS,
      leadId,
    ),
  ]);
  if ((await d1.prepare(EVENT_EXISTS).bind(leadId).first()) !== null) return { changed: true, from: sub.status };
  const now = await findSubOrder(d1, subOrderId);
  if (now?.status === to) return { changed: false, from: sub.status };
  throw new AppError("invalid_transition", `The sub-order changed meanwhile (now ${now?.status})`, {
    extensions: { from: now?.status, to },
  });
}
