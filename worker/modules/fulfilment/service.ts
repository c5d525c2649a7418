/**
 * @module fulfilment/service: a supplier's answers to a package — accept, reject, ship (in one or several parcels),
 * report tracking, confirm delivery — and the rules each one follows.
 *
 * Every answer is one guarded D1 batch (the package must still be this supplier's and in a state that allows it),
 * with timeline entries whose ids derive from the package and the answer, so a repeated answer writes nothing new;
 * the routes add Idempotency-Key replay on top. A move the state machine forbids is 409 `invalid_transition` with
 * `from` (the package's status) and `to` (the answer) in the problem; another supplier's package is 404.
 */
import { AppError } from "../../errors";
import { outboxInsertWhen } from "../../events/outbox";
import type { DomainEvent } from "../../events/types";
import { newId, sha256Hex } from "../../lib/crypto";
import { type Actor, orderEventStatement } from "../orders/repository";
import { moveSubOrder } from "../orders/service";
import { refundWholeSubOrder } from "../refunds/system";
import { carrierOf } from "./carriers";
import {
  type AnswerRow,
  acknowledgeDispatchStatement,
  allDelivered,
  allowReroute,
  answerRow,
  deliveredStatement,
  findShipment,
  insertShipmentStatements,
  lineBalances,
  type ShipmentRow,
  stampAcceptedStatement,
  stampRejectedStatement,
  supplierSubOrder,
  trackingStatement,
} from "./repository";
import { applyReroute, rerouteCandidates } from "./reroute";
import {
  type FulfilmentView,
  REJECT_REASONS,
  type RejectInput,
  type RejectResult,
  type ShipmentInput,
  type ShipmentView,
  type TrackingInput,
} from "./schemas";
import { fulfilmentView, shipmentViewOf, toShip } from "./views";

const OPEN: readonly string[] = ["paid", "dispatched"];
const GOODS_LEFT: readonly string[] = ["shipped", "delivered", "completed"];

function invalid(status: string, to: string, detail: string): AppError {
  return new AppError("invalid_transition", detail, { extensions: { from: status, to } });
}

async function own(d1: D1Database, supplierId: string, subOrderId: string): Promise<AnswerRow> {
  const row = await supplierSubOrder(d1, subOrderId, supplierId);
  if (!row) throw new AppError("not_found", `No package ${subOrderId}`);
  return row;
}

async function ownShipment(d1: D1Database, supplierId: string, shipmentId: string): Promise<ShipmentRow> {
  const row = await findShipment(d1, shipmentId);
  if (!row || row.supplierId !== supplierId) throw new AppError("not_found", `No shipment ${shipmentId}`);
  return row;
}

async function reread(d1: D1Database, row: AnswerRow): Promise<AnswerRow> {
  return (await answerRow(d1, row.id)) ?? row;
}

const actorOf = (supplierId: string): Actor => ({ type: "supplier", id: supplierId });

/** Finds the package only if this very batch stamped it (`column` = `nowMs`, still this supplier's). */
const stampedBy = (column: "accepted_at_ms" | "rejected_at_ms") =>
  `SELECT 1 FROM sub_orders WHERE id = ? AND supplier_id = ? AND ${column} = ?`;

/** An answer's timeline entry, written once: only by the batch that stamped the package, and only if missing. */
function answerEntry(
  d1: D1Database,
  row: AnswerRow,
  column: "accepted_at_ms" | "rejected_at_ms",
  to: string,
  note: string | null,
  nowMs: number,
) {
  const id = `oev_${row.id}_${to}_${row.supplierId}`;
  return orderEventStatement(
    d1,
    { id, orderId: row.orderId, subOrderId: row.id, actor: actorOf(row.supplierId), from: null, to, note, atMs: nowMs },
    `${stampedBy(column)} AND NOT EXISTS (SELECT 1 FROM order_events WHERE id = ?)`,
    row.id,
    row.supplierId,
    nowMs,
    id,
  );
}

/**
 * The supplier will fulfil the package: stamps `accepted_at_ms` once and, if it was still `paid`, moves it to
 * `dispatched` (accepting proves the supplier has it). Accepting again answers the package as it is.
 */
export async function acceptSubOrder(
  env: Env,
  supplierId: string,
  subOrderId: string,
  nowMs = Date.now(),
): Promise<FulfilmentView> {
  const d1 = env.DB;
  const row = await own(d1, supplierId, subOrderId);
  if (row.rejectedAtMs !== null) throw invalid(row.status, "accepted", "You rejected this package");
  const acceptedBefore = row.acceptedAtMs !== null && (OPEN.includes(row.status) || GOODS_LEFT.includes(row.status));
  if (acceptedBefore) return fulfilmentView(d1, row);
  if (!OPEN.includes(row.status)) throw invalid(row.status, "accepted", `A ${row.status} package cannot be accepted`);
  await d1.batch([
    stampAcceptedStatement(d1, row.id, supplierId, nowMs),
    answerEntry(d1, row, "accepted_at_ms", "accepted", null, nowMs),
    acknowledgeDispatchStatement(d1, row.id, supplierId, nowMs),
  ]);
  const now = await reread(d1, row);
  if (now.acceptedAtMs === null) throw invalid(now.status, "accepted", `The package is ${now.status} now`);
  // A millisecond later, so the timeline (ordered by time) reads accepted → dispatched.
  if (now.status === "paid") await moveSubOrder(d1, row.id, "dispatched", actorOf(supplierId), { nowMs: nowMs + 1 });
  return fulfilmentView(d1, await reread(d1, row));
}

/**
 * The supplier cannot fulfil the package (before anything of it shipped). The merchant is told; then the package is
 * re-routed to another supplier of the same goods if the shop allows it and one qualifies (see reroute.ts), or else
 * refunded in full to the shopper through the rail, without restocking. A retry after a crash resumes where it
 * stopped: the stamp, the entry and the event are written once.
 */
export async function rejectSubOrder(
  env: Env,
  supplierId: string,
  subOrderId: string,
  input: RejectInput,
  nowMs = Date.now(),
): Promise<RejectResult> {
  const d1 = env.DB;
  let row = await own(d1, supplierId, subOrderId);
  if (!OPEN.includes(row.status)) throw invalid(row.status, "rejected", `A ${row.status} package cannot be rejected`);
  if (row.rejectedAtMs === null) {
    const shipped = await d1.prepare("SELECT 1 AS one FROM shipments WHERE sub_order_id = ?").bind(row.id).first();
    if (shipped) throw invalid(row.status, "rejected", "Part of this package has shipped already");
    await d1.batch(rejectStatements(d1, row, input, nowMs));
    row = await reread(d1, row);
    if (row.supplierId !== supplierId || row.rejectedAtMs === null) {
      throw invalid(row.status, "rejected", `The package changed meanwhile (now ${row.status})`);
    }
  }
  // A resumed rejection keeps the reason first given.
  const reason = REJECT_REASONS.find((r) => r === row.rejectReason) ?? input.reason;
  const result = (outcome: RejectResult["outcome"], status: AnswerRow["status"], refund?: [string, number]) => ({
    subOrderId: row.id,
    reason,
    rejectedAtMs: row.rejectedAtMs ?? nowMs,
    outcome,
    status,
    refundId: refund?.[0] ?? null,
    refundFen: refund?.[1] ?? null,
  });
  if (await allowReroute(d1, row.merchantId)) {
    for (const candidate of await rerouteCandidates(d1, row.id)) {
      if (await applyReroute(env, row, candidate, nowMs)) return result("rerouted", row.status);
    }
  }
  const refund = await refundWholeSubOrder(
    env,
    {
      refundId: `rfd_${row.id}_rejected`,
      subOrderId: row.id,
      reason,
      note: input.note ?? null,
      restock: false,
      actor: { type: "system", id: null },
    },
    nowMs,
  );
  const now = await reread(d1, row);
  const outcome = refund.outcome === "succeeded" ? "refunded" : "refund_pending";
  return result(outcome, now.status, [refund.refundId, refund.amountFen]);
}

function rejectStatements(d1: D1Database, row: AnswerRow, input: RejectInput, nowMs: number): D1PreparedStatement[] {
  const event: DomainEvent<"sub_order.rejected"> = {
    id: `evt_${row.id}_rejected_${row.supplierId}`,
    type: "sub_order.rejected",
    occurredAtMs: nowMs,
    payload: {
      subOrderId: row.id,
      subOrderNumber: row.number,
      orderId: row.orderId,
      merchantId: row.merchantId,
      supplierId: row.supplierId,
      reason: input.reason,
      note: input.note || null,
    },
  };
  const note = input.note ? `${input.reason}: ${input.note}` : input.reason;
  return [
    stampRejectedStatement(d1, row.id, row.supplierId, input.reason, nowMs),
    answerEntry(d1, row, "rejected_at_ms", "rejected", note, nowMs),
    outboxInsertWhen(
      d1,
      event,
      `${stampedBy("rejected_at_ms")} AND NOT EXISTS (SELECT 1 FROM outbox WHERE id = ?)`,
      row.id,
      row.supplierId,
      nowMs,
      event.id,
    ),
    acknowledgeDispatchStatement(d1, row.id, row.supplierId, nowMs),
  ];
}

/**
 * One parcel: the lines given (or every unit not yet shipped). Quantities above bought − refunded − shipped are 422;
 * when nothing is left to ship afterwards the package becomes `shipped`.
 */
export async function shipSubOrder(
  env: Env,
  supplierId: string,
  subOrderId: string,
  input: ShipmentInput,
  nowMs = Date.now(),
): Promise<{ view: FulfilmentView; shipmentId: string }> {
  const d1 = env.DB;
  const row = await own(d1, supplierId, subOrderId);
  if (!OPEN.includes(row.status)) throw invalid(row.status, "shipped", `A ${row.status} package cannot be shipped`);
  if (row.rejectedAtMs !== null) throw invalid(row.status, "shipped", "You rejected this package");
  const balances = await lineBalances(d1, row.id);
  const lines =
    input.lines ?? balances.filter((l) => toShip(l) > 0).map((l) => ({ lineId: l.id, quantity: toShip(l) }));
  if (lines.length === 0) throw new AppError("shipment_exceeds_order", "Every unit of this package has shipped");
  for (const [i, line] of lines.entries()) {
    const balance = balances.find((b) => b.id === line.lineId);
    if (!balance) {
      throw new AppError("validation_failed", `Line ${line.lineId} is not in this package`, {
        extensions: { issues: [{ path: `lines.${i}.lineId`, message: "Not a line of this package", code: "unknown" }] },
      });
    }
    if (line.quantity > toShip(balance)) {
      throw new AppError("shipment_exceeds_order", `Line ${line.lineId} has ${toShip(balance)} unit(s) left to ship`, {
        extensions: { lineId: line.lineId, remainingQuantity: toShip(balance) },
      });
    }
  }
  const duplicate = await d1
    .prepare("SELECT 1 AS one FROM shipments WHERE sub_order_id = ? AND carrier_code = ? AND tracking_number = ?")
    .bind(row.id, input.carrierCode, input.trackingNumber)
    .first();
  if (duplicate) throw new AppError("shipment_exists");
  const shipmentId = newId("shpmt", nowMs);
  const carrier = carrierOf(input.carrierCode);
  await d1.batch([
    ...insertShipmentStatements(
      d1,
      {
        id: shipmentId,
        subOrderId: row.id,
        supplierId,
        carrierCode: input.carrierCode,
        trackingNumber: input.trackingNumber,
        lines,
      },
      nowMs,
    ),
    orderEventStatement(
      d1,
      {
        id: `oev_${shipmentId}`,
        orderId: row.orderId,
        subOrderId: row.id,
        actor: actorOf(supplierId),
        from: null,
        to: "shipment",
        note: `${carrier?.zh ?? input.carrierCode} ${input.trackingNumber}`,
        atMs: nowMs,
      },
      "SELECT 1 FROM shipments WHERE id = ?",
      shipmentId,
    ),
    acknowledgeDispatchStatement(d1, row.id, supplierId, nowMs),
  ]);
  if (!(await findShipment(d1, shipmentId))) {
    // The package changed, or another parcel took the units, between the checks above and the insert.
    const now = await reread(d1, row);
    if (now.supplierId !== supplierId) throw new AppError("not_found", `No package ${subOrderId}`);
    if (!OPEN.includes(now.status) || now.rejectedAtMs !== null) {
      throw invalid(now.status, "shipped", `The package is ${now.status} now`);
    }
    throw new AppError("shipment_exceeds_order", "Another parcel shipped these units meanwhile");
  }
  const done = (await lineBalances(d1, row.id)).every((line) => toShip(line) === 0);
  // A first parcel of a paid package proves the supplier has it, as accepting would.
  const next = done ? "shipped" : row.status === "paid" ? "dispatched" : null;
  if (next) await moveSubOrder(d1, row.id, next, actorOf(supplierId), { nowMs: nowMs + 1 });
  return { view: await fulfilmentView(d1, await reread(d1, row)), shipmentId };
}

/** Adds the carrier's events; one already recorded (same time and description) is skipped. */
export async function addTracking(
  d1: D1Database,
  supplierId: string,
  shipmentId: string,
  input: TrackingInput,
  nowMs = Date.now(),
): Promise<ShipmentView & { added: number }> {
  const shipment = await ownShipment(d1, supplierId, shipmentId);
  const statements = await Promise.all(
    input.events.map(async (event) => {
      const atMs = Date.parse(event.at);
      // The id is the event's identity, so the same event sent twice (in one call or two) is stored once.
      const id = `trk_${(await sha256Hex(`${shipmentId}\n${atMs}\n${event.description}`)).slice(0, 32)}`;
      return trackingStatement(
        d1,
        id,
        shipmentId,
        { atMs, description: event.description, location: event.location ?? null },
        nowMs,
      );
    }),
  );
  const results = await d1.batch(statements);
  const added = results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
  return { ...(await shipmentViewOf(d1, shipment.orderId, shipmentId)), added };
}

/**
 * The parcel arrived. Only once the whole package has shipped: delivery follows shipping, and an early parcel's
 * arrival is already in its tracking. When every parcel of it has arrived the package becomes `delivered`.
 * Confirming again answers the parcel as it is.
 */
export async function markShipmentDelivered(
  env: Env,
  supplierId: string,
  shipmentId: string,
  nowMs = Date.now(),
): Promise<ShipmentView> {
  const d1 = env.DB;
  const shipment = await ownShipment(d1, supplierId, shipmentId);
  const sub = await answerRow(d1, shipment.subOrderId);
  if (!sub) throw new AppError("not_found", `No shipment ${shipmentId}`);
  if (shipment.deliveredAtMs === null) {
    // Shipped in full at some point: a package refunded after it left still gets its parcels' arrival recorded.
    if (!GOODS_LEFT.includes(sub.status) && sub.shippedAtMs === null) {
      throw invalid(sub.status, "delivered", `A ${sub.status} package has not shipped in full; it cannot be delivered`);
    }
    const entryId = `oev_${shipmentId}_delivered`;
    await d1.batch([
      deliveredStatement(d1, shipmentId, supplierId, nowMs),
      orderEventStatement(
        d1,
        {
          id: entryId,
          orderId: sub.orderId,
          subOrderId: sub.id,
          actor: actorOf(supplierId),
          from: null,
          to: "shipment_delivered",
          note: shipment.trackingNumber,
          atMs: nowMs,
        },
        "SELECT 1 FROM shipments WHERE id = ? AND delivered_at_ms = ? AND NOT EXISTS (SELECT 1 FROM order_events WHERE id = ?)",
        shipmentId,
        nowMs,
        entryId,
      ),
    ]);
  }
  if (sub.status === "shipped" && (await allDelivered(d1, sub.id))) {
    await moveSubOrder(d1, sub.id, "delivered", actorOf(supplierId), { nowMs: nowMs + 1 });
  }
  return shipmentViewOf(d1, sub.orderId, shipmentId);
}
