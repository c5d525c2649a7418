/**
 * @module seed/orders-plans: what the demo order history is made of — which day each order was placed, how far it got,
 * the address it went to and the notes shoppers leave. orders-history.ts turns these into rows.
 */
import { DEMO_SHOPPER } from "./demo.ts";

export const DEMO_ADDRESS = {
  id: "adr_demo",
  recipientName: "陈小明",
  phone: DEMO_SHOPPER.phone,
  province: "浙江省",
  city: "杭州市",
  district: "西湖区",
  detail: "文三路 90 号 3 幢 201 室",
  postalCode: "310012",
} as const;

export const DEMO_ORDER_NOTES = ["工作日白天送货，谢谢", "请放门口快递柜", "送人的，包裹里不要放价格单"];

export type Target = "paid" | "dispatched" | "shipped" | "delivered" | "completed" | "cancelled";
export type Step = "dispatched" | "shipped" | "delivered" | "completed";
export const STEPS: readonly Step[] = ["dispatched", "shipped", "delivered", "completed"];

/**
 * Per shop, [days ago, where the order got to], oldest first. Completed orders are at least ten days old because
 * completion is the auto-complete job seven days after delivery; delivered ones at most seven, or that job would
 * complete them on the next cron run.
 */
export const PLANS: readonly { merchantId: string; orders: readonly (readonly [number, Target])[] }[] = [
  {
    merchantId: "mer_demo",
    orders: [
      [20, "completed"],
      [19, "completed"],
      [18, "completed"],
      [18, "cancelled"],
      [17, "completed"],
      [16, "completed"],
      [15, "completed"],
      [15, "completed"],
      [14, "completed"],
      [13, "completed"],
      [12, "completed"],
      [12, "completed"],
      [11, "completed"],
      [10, "completed"],
      [9, "cancelled"],
      [7, "delivered"],
      [6, "delivered"],
      [5, "delivered"],
      [4, "delivered"],
      [3, "shipped"],
      [3, "cancelled"],
      [2, "shipped"],
      [1, "dispatched"],
      [1, "paid"],
    ],
  },
  {
    merchantId: "mer_mama",
    orders: [
      [19, "completed"],
      [14, "completed"],
      [10, "completed"],
      [8, "cancelled"],
      [5, "delivered"],
      [2, "shipped"],
    ],
  },
];
