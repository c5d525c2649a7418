/**
 * @module notifications/subscriber: turns domain events into messages in the right organisation's inbox.
 */
import type { Effects, Subscriber } from "../../events/consumer";
import type { AnyEvent } from "../../events/types";
import { newId } from "../../lib/crypto";
import { formatFen } from "../../lib/money";
import { insertNotification } from "./repository";

type Note = { orgType: "platform" | "supplier" | "merchant"; orgId: string; kind: string; title: string; body: string };

const STATUS_TEXT = {
  approved: "已通过审核",
  suspended: "已被暂停",
  rejected: "未通过审核",
  pending: "待审核",
} as const;

const REJECT_TEXT = {
  out_of_stock: "缺货",
  discontinued: "已停产",
  cannot_ship_to_address: "无法配送到收货地址",
  other: "其他原因",
} as const;

function notesFor(event: AnyEvent): Note[] {
  switch (event.type) {
    case "merchant.registered": {
      const p = event.payload;
      return [
        {
          orgType: "platform",
          orgId: "platform",
          kind: event.type,
          title: `新商户入驻：${p.name}`,
          body: `店铺地址 ${p.slug}`,
        },
        {
          orgType: "merchant",
          orgId: p.merchantId,
          kind: event.type,
          title: "欢迎开店",
          body: `店铺 ${p.name} 已开通`,
        },
      ];
    }
    case "supplier.applied": {
      const p = event.payload;
      return [
        { orgType: "platform", orgId: "platform", kind: event.type, title: `供应商申请：${p.name}`, body: "请审核" },
      ];
    }
    case "supplier.status_changed": {
      const p = event.payload;
      const reason = p.reason ? `原因：${p.reason}` : "";
      return [
        {
          orgType: "supplier",
          orgId: p.supplierId,
          kind: event.type,
          title: `供应商${STATUS_TEXT[p.to]}`,
          body: reason,
        },
      ];
    }
    case "listing.paused": {
      const p = event.payload;
      return [{ orgType: "merchant", orgId: p.merchantId, kind: event.type, title: "商品已自动下架", body: p.reason }];
    }
    case "order.paid": {
      const p = event.payload;
      return [
        {
          orgType: "merchant",
          orgId: p.merchantId,
          kind: event.type,
          title: `新订单 ${p.number}`,
          body: `实付 ${formatFen(p.paidFen)}`,
        },
        ...p.subOrders.map((s) => ({
          orgType: "supplier" as const,
          orgId: s.supplierId,
          kind: event.type,
          title: "新的代发订单",
          body: `订单 ${p.number}`,
        })),
      ];
    }
    case "refund.requested": {
      const p = event.payload;
      return [
        {
          orgType: "merchant",
          orgId: p.merchantId,
          kind: event.type,
          title: `退款申请 ${p.orderNumber}`,
          body: `申请退款 ${formatFen(p.amountFen)}，请在售后页处理`,
        },
      ];
    }
    case "sub_order.rejected": {
      const p = event.payload;
      const note = p.note ? `（${p.note}）` : "";
      return [
        {
          orgType: "merchant",
          orgId: p.merchantId,
          kind: event.type,
          title: "供应商无法发货",
          body: `包裹 ${p.subOrderNumber}：${REJECT_TEXT[p.reason]}${note}。已按店铺设置改派其他供应商或自动退款，详见订单`,
        },
      ];
    }
    case "sku.supply_changed":
    case "product.status_changed":
    case "order.placed":
    case "order.cancelled":
    case "sub_order.status_changed":
    case "refund.succeeded":
      return [];
    case "staff.joined": {
      const p = event.payload;
      return [{ orgType: p.orgType, orgId: p.orgId, kind: event.type, title: "新成员加入", body: p.email }];
    }
  }
}

export const notificationSubscriber: Subscriber = {
  name: "notifications",
  types: [
    "merchant.registered",
    "supplier.applied",
    "supplier.status_changed",
    "staff.joined",
    "listing.paused",
    "order.paid",
    "refund.requested",
    "sub_order.rejected",
  ],
  async handle(event, env): Promise<Effects> {
    return notesFor(event).map((note) =>
      insertNotification(env.DB, {
        id: newId("ntf"),
        ...note,
        sourceEventId: event.id,
        createdAtMs: event.occurredAtMs,
      }),
    );
  },
};
