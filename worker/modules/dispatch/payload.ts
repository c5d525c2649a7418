/**
 * @module dispatch/payload: the `order.dispatch.v1` event a supplier receives — what to pack and where to send it.
 * Built only from the sub-order's own lines: never another supplier's lines, never the merchant's resale prices or
 * the shopper's total (a supplier sees its supply prices elsewhere, not in what it ships).
 */
import { findOrder, linesOf, type SubOrderRow } from "../orders/repository";
import { parseAddress } from "../orders/views";
import { parseOptions } from "../storefront/views";

export const DISPATCH_EVENT = "order.dispatch.v1";

export interface DispatchPayload {
  type: typeof DISPATCH_EVENT;
  timestamp: string;
  data: {
    dispatchId: string;
    subOrderId: string;
    subOrderNumber: string;
    orderNumber: string;
    paidAt: string | null;
    shop: { name: string };
    recipient: {
      name: string;
      phone: string;
      province: string;
      city: string;
      district: string;
      detail: string;
      postalCode: string | null;
    };
    lines: { lineId: string; skuCode: string; title: string; options: Record<string, string>; quantity: number }[];
    note: string | null;
  };
}

/** Deterministic per sub-order and supplier, so a second dispatch attempt of the same thing keeps its webhook-id. */
export function dispatchIdOf(subOrderId: string, supplierId: string): string {
  return `msg_${subOrderId.replace(/^sub_/, "")}_${supplierId.replace(/^sup_/, "")}`;
}

export async function buildDispatchPayload(
  d1: D1Database,
  sub: SubOrderRow,
  nowMs: number,
): Promise<DispatchPayload | null> {
  const [order, lines, shop] = await Promise.all([
    findOrder(d1, sub.orderId, { kind: "system" }),
    linesOf(d1, sub.orderId),
    d1.prepare("SELECT name FROM merchants WHERE id = ?").bind(sub.merchantId).first<{ name: string }>(),
  ]);
  if (!order) return null;
  const address = parseAddress(order.address);
  return {
    type: DISPATCH_EVENT,
    timestamp: new Date(nowMs).toISOString(),
    data: {
      dispatchId: dispatchIdOf(sub.id, sub.supplierId),
      subOrderId: sub.id,
      subOrderNumber: sub.number,
      orderNumber: order.number,
      paidAt: sub.paidAtMs === null ? null : new Date(sub.paidAtMs).toISOString(),
      shop: { name: shop?.name ?? "" },
      recipient: {
        name: address.recipientName,
        phone: address.phone,
        province: address.province,
        city: address.city,
        district: address.district,
        detail: address.detail,
        postalCode: address.postalCode,
      },
      lines: lines
        .filter((line) => line.subOrderId === sub.id)
        .map((line) => ({
          lineId: line.id,
          skuCode: line.skuCode,
          title: line.titleZh,
          options: parseOptions(line.options),
          quantity: line.quantity - line.refundedQuantity,
        }))
        .filter((line) => line.quantity > 0),
      note: order.note,
    },
  };
}
