/**
 * @module fulfilment/views: parcels as shoppers, merchants, the platform and suppliers read them — carrier name,
 * tracking number, what is inside, and the carrier's events newest first. No prices and no supplier names: the same
 * view is safe for every audience that may see the order.
 */
import { parseOptions } from "../storefront/views";
import { carrierView } from "./carriers";
import {
  type AnswerRow,
  type LineBalanceRow,
  lineBalances,
  type ShipmentRow,
  shipmentDetails,
  shipmentsWhere,
  supplierSubOrder,
} from "./repository";
import type { FulfilmentView, ShipmentView } from "./schemas";

function buildShipments(rows: ShipmentRow[], details: Awaited<ReturnType<typeof shipmentDetails>>): ShipmentView[] {
  return rows.map((row) => ({
    id: row.id,
    subOrderId: row.subOrderId,
    subOrderNumber: row.subOrderNumber,
    carrier: carrierView(row.carrierCode),
    trackingNumber: row.trackingNumber,
    shippedAtMs: row.shippedAtMs,
    deliveredAtMs: row.deliveredAtMs,
    lines: details.lines
      .filter((line) => line.shipmentId === row.id)
      .map((line) => ({
        lineId: line.lineId,
        title: { zh: line.titleZh, en: line.titleEn },
        options: parseOptions(line.options),
        quantity: line.quantity,
      })),
    tracking: details.tracking
      .filter((event) => event.shipmentId === row.id)
      .map((event) => ({
        at: new Date(event.atMs).toISOString(),
        atMs: event.atMs,
        description: event.description,
        location: event.location,
      })),
  }));
}

/** Every parcel of an order the caller may already see, oldest parcel first. */
export async function orderShipmentViews(d1: D1Database, orderId: string): Promise<ShipmentView[]> {
  const [rows, details] = await Promise.all([shipmentsWhere(d1, "order", orderId), shipmentDetails(d1, orderId)]);
  return buildShipments(rows, details);
}

export async function shipmentViewOf(d1: D1Database, orderId: string, shipmentId: string): Promise<ShipmentView> {
  const view = (await orderShipmentViews(d1, orderId)).find((s) => s.id === shipmentId);
  if (!view) throw new Error(`shipment ${shipmentId} vanished`);
  return view;
}

export function toShip(line: LineBalanceRow): number {
  return Math.max(0, line.quantity - line.refundedQuantity - line.shippedQuantity);
}

/** A package as its supplier sees it after an answer: stamps, units left to ship per line, parcels so far. */
export async function fulfilmentView(d1: D1Database, row: AnswerRow): Promise<FulfilmentView> {
  const [lines, shipments] = await Promise.all([lineBalances(d1, row.id), orderShipmentViews(d1, row.orderId)]);
  return {
    subOrderId: row.id,
    number: row.number,
    status: row.status,
    acceptedAtMs: row.acceptedAtMs,
    rejectedAtMs: row.rejectedAtMs,
    rejectReason: row.rejectReason,
    shippedAtMs: row.shippedAtMs,
    deliveredAtMs: row.deliveredAtMs,
    lines: lines.map((line) => ({
      lineId: line.id,
      skuCode: line.skuCode,
      quantity: line.quantity,
      refundedQuantity: line.refundedQuantity,
      shippedQuantity: line.shippedQuantity,
      toShipQuantity: toShip(line),
    })),
    shipments: shipments.filter((s) => s.subOrderId === row.id),
  };
}

/**
 * What the supplier console's package page offers answers from; undefined when the package is not (or, after a
 * re-route, no longer) this supplier's.
 */
export async function supplierFulfilmentView(
  d1: D1Database,
  supplierId: string,
  subOrderId: string,
): Promise<FulfilmentView | undefined> {
  const row = await supplierSubOrder(d1, subOrderId, supplierId);
  return row ? fulfilmentView(d1, row) : undefined;
}
