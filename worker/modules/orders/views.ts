/**
 * @module orders/views: an order as shoppers and merchants see it. Supply prices and SKU codes stay out (the
 * shopper must not see what the shop pays its supplier); supplier-facing views are built elsewhere.
 */
import { z } from "zod";
import { imageUrl } from "../media/urls";
import { parseOptions } from "../storefront/views";
import {
  eventsOf,
  linesOf,
  type OrderEventRow,
  type OrderLineRow,
  type OrderRow,
  type SubOrderRow,
  subOrdersOf,
} from "./repository";
import type { OrderView } from "./schemas";

const LINE_IMAGE_WIDTH = 320;
const Address = z.object({
  recipientName: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
  postalCode: z.string().nullable(),
});

export function parseAddress(json: string): z.infer<typeof Address> {
  return Address.parse(JSON.parse(json));
}

export function lineImage(imageKey: string | null, alt: string): { url: string; alt: string } | null {
  return imageKey ? { url: imageUrl(imageKey, LINE_IMAGE_WIDTH), alt } : null;
}

function lineView(line: OrderLineRow) {
  return {
    id: line.id,
    skuId: line.skuId,
    productId: line.productId,
    title: { zh: line.titleZh, en: line.titleEn },
    options: parseOptions(line.options),
    image: lineImage(line.imageKey, line.titleZh),
    quantity: line.quantity,
    unitPriceFen: line.unitPriceFen,
    lineTotalFen: line.unitPriceFen * line.quantity,
    discountFen: line.discountFen,
    refundedQuantity: line.refundedQuantity,
    refundedFen: line.refundedFen,
  };
}

export function buildOrderView(
  order: OrderRow,
  subs: SubOrderRow[],
  lines: OrderLineRow[],
  events: OrderEventRow[],
): OrderView {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    goodsFen: order.goodsFen,
    shippingFen: order.shippingFen,
    discountFen: order.discountFen,
    totalFen: order.totalFen,
    refundedFen: order.refundedFen,
    address: parseAddress(order.address),
    note: order.note,
    paymentExpiresAtMs: order.paymentExpiresAtMs,
    paidAtMs: order.paidAtMs,
    cancelledAtMs: order.cancelledAtMs,
    cancelReason: order.cancelReason,
    createdAtMs: order.createdAtMs,
    subOrders: subs.map((sub) => ({
      id: sub.id,
      number: sub.number,
      supplierId: sub.supplierId,
      status: sub.status,
      goodsFen: sub.goodsFen,
      shippingFen: sub.shippingFen,
      discountFen: sub.discountFen,
      totalFen: sub.totalFen,
      refundedFen: sub.refundedFen,
      lines: lines.filter((line) => line.subOrderId === sub.id).map(lineView),
    })),
    timeline: events.map((event) => ({
      subOrderId: event.subOrderId,
      actor: event.actorType,
      from: event.fromStatus,
      to: event.toStatus,
      note: event.note,
      atMs: event.atMs,
    })),
  };
}

/** Reads the parts of an order already known to be visible to the caller and assembles its view. */
export async function loadOrderView(d1: D1Database, order: OrderRow): Promise<OrderView> {
  const [subs, lines, events] = await Promise.all([
    subOrdersOf(d1, order.id),
    linesOf(d1, order.id),
    eventsOf(d1, order.id),
  ]);
  return buildOrderView(order, subs, lines, events);
}
