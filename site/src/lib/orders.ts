/**
 * @module orders: how the storefront's order pages put an order into words — the one status a shopper sees for a
 * whole order, each package's status, cancel and refund reasons, and the timeline.
 */
import { type OrderStatus, SUB_ORDER_STATUSES, type SubOrderStatus } from "../../../worker/db/schema";
import type { OrderView } from "../../../worker/modules/orders/schemas";
import { type Lang, type MessageKey, translator } from "../i18n";

/** What 我的订单 calls an order; the tabs of the list use the same words. */
export type ShopperStage = "unpaid" | "to_ship" | "to_receive" | "completed" | "refunded" | "cancelled";

/** Packages move separately, so the least advanced open package decides what the whole order is waiting for. */
export function shopperStage(status: OrderStatus, subs: readonly SubOrderStatus[]): ShopperStage {
  if (status === "cancelled") return "cancelled";
  if (status === "pending_payment") return "unpaid";
  if (subs.some((s) => s === "paid" || s === "dispatched")) return "to_ship";
  if (subs.some((s) => s === "shipped" || s === "delivered")) return "to_receive";
  if (subs.length > 0 && subs.every((s) => s === "refunded")) return "refunded";
  return "completed";
}

export function stageText(lang: Lang, stage: ShopperStage): string {
  return translator(lang)(`shopOrders.stage.${stage}`);
}

export function packageStatusText(lang: Lang, status: SubOrderStatus): string {
  return translator(lang)(`shopOrder.package.${status}`);
}

/** Reasons the API records (cancellations, refunds, completions); anything newer is shown as recorded. */
const REASONS: Record<string, MessageKey> = {
  shopper_cancelled: "shopOrder.reason.shopper_cancelled",
  payment_timeout: "shopOrder.reason.payment_timeout",
  paid_after_cancellation: "shopOrder.reason.paid_after_cancellation",
  amount_mismatch: "shopOrder.reason.amount_mismatch",
  out_of_stock_at_payment: "shopOrder.reason.out_of_stock_at_payment",
  confirm_receipt: "shopOrder.reason.confirm_receipt",
  auto_complete: "shopOrder.reason.auto_complete",
};

export function reasonText(lang: Lang, reason: string | null): string {
  if (!reason) return "";
  const key = REASONS[reason];
  return key ? translator(lang)(key) : reason;
}

const ACTORS: Record<string, MessageKey> = {
  shopper: "shopOrder.actor.shopper",
  merchant: "shopOrder.actor.merchant",
  supplier: "shopOrder.actor.supplier",
  platform: "shopOrder.actor.platform",
  system: "shopOrder.actor.system",
  payment: "shopOrder.actor.payment",
};

/** Entries that record an after-sale step rather than a status; their note is a refund id, not words. */
const EVENTS: Record<string, MessageKey> = {
  refund_requested: "shopOrder.event.refund_requested",
  refund_approved: "shopOrder.event.refund_approved",
  refund_rejected: "shopOrder.event.refund_rejected",
  refund_succeeded: "shopOrder.event.refund_succeeded",
  refund_failed: "shopOrder.event.refund_failed",
  accepted: "shopOrder.event.accepted",
  rejected: "shopOrder.event.rejected",
  rerouted: "shopOrder.event.rerouted",
  shipment: "shopOrder.event.shipment",
  shipment_delivered: "shopOrder.event.shipment_delivered",
};

export interface TimelineItem {
  atMs: number;
  text: string;
  actor: string;
}

/**
 * The timeline in words, oldest first. A package's own "paid" and "cancelled" entries are left out: they repeat
 * the order's entry of the same moment once per package.
 */
export function timelineItems(lang: Lang, order: OrderView): TimelineItem[] {
  const tr = translator(lang);
  const packageNumber = new Map(order.subOrders.map((sub, i) => [sub.id, i + 1]));
  const items: TimelineItem[] = [];
  for (const entry of order.timeline) {
    const actorKey = ACTORS[entry.actor];
    const actor = actorKey ? tr(actorKey) : entry.actor;
    const reason = reasonText(lang, entry.note);
    let text: string;
    if (entry.subOrderId === null) {
      if (entry.from === null) text = tr("shopOrder.timeline.placed");
      else if (entry.to === "paid") text = tr("shopOrder.timeline.paid");
      else if (entry.to === "cancelled") text = tr("shopOrder.timeline.cancelled", { reason });
      else text = entry.to;
    } else {
      if (entry.to === "paid" || entry.to === "cancelled" || entry.to === "pending_payment") continue;
      const n = packageNumber.get(entry.subOrderId) ?? "?";
      const eventKey = EVENTS[entry.to];
      if (eventKey) text = tr("shopOrder.timeline.package", { n, status: tr(eventKey) });
      else {
        const status = isSubOrderStatus(entry.to) ? packageStatusText(lang, entry.to) : entry.to;
        text = tr("shopOrder.timeline.package", { n, status });
        if (reason) text = `${text}（${reason}）`;
      }
    }
    items.push({ atMs: entry.atMs, text, actor });
  }
  return items;
}

function isSubOrderStatus(value: string): value is SubOrderStatus {
  return (SUB_ORDER_STATUSES as readonly string[]).includes(value);
}
