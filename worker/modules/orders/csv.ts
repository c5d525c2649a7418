/**
 * @module orders/csv: the merchant's order export — one row per order line, opened by Excel as UTF-8 (BOM), money
 * as yuan text from integer fen, and no cell a spreadsheet would run as a formula.
 */
import type { SubOrderStatus } from "../../db/schema";
import { formatFen } from "../../lib/money";
import { parseOptions } from "../storefront/views";
import type { ExportLineRow } from "./console-repository";
import { parseAddress } from "./views";

const BOM = "\uFEFF";
const CHINA_OFFSET_MS = 8 * 3_600_000;

export const CSV_HEADER = [
  "订单号",
  "子订单号",
  "下单时间",
  "状态",
  "商品",
  "规格",
  "数量",
  "单价(元)",
  "小计(元)",
  "运费(元)",
  "实付(元)",
  "已退款(元)",
  "收货人",
  "电话",
  "地址",
] as const;

/** How merchants read a package's state; the export is Chinese whatever the console language. */
const STATUS_ZH: Record<SubOrderStatus, string> = {
  pending_payment: "待付款",
  paid: "待发货",
  dispatched: "已派单",
  shipped: "已发货",
  delivered: "已签收",
  completed: "已完成",
  cancelled: "已取消",
  refunded: "已退款",
};

/** `1250` → `"12.50"`: the shared formatter without its ¥, so Excel sees a number. */
export function yuan(fen: number): string {
  return formatFen(fen).replace("¥", "");
}

/** `2026-11-25 09:03:07` in China time, whatever the Worker's clock zone. */
export function chinaTime(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * One CSV field: text a spreadsheet would evaluate (= + - @, tab, CR first) gets a leading apostrophe, then
 * quotes, commas and line breaks are quoted RFC 4180 style.
 * @example csvCell('=HYPERLINK("x")') // "\"'=HYPERLINK(\"\"x\"\")\""
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/**
 * The export. Shipping and the amount paid belong to a package and an order, not a line: they are filled on the
 * first line of their package / order only, so summing a column in Excel never counts them twice.
 */
export function ordersCsv(lines: readonly ExportLineRow[]): string {
  const parts = [BOM, csvRow(CSV_HEADER)];
  let previousOrder = "";
  let previousSub = "";
  for (const line of lines) {
    const firstOfOrder = line.orderNumber !== previousOrder;
    const firstOfSub = line.subOrderNumber !== previousSub;
    previousOrder = line.orderNumber;
    previousSub = line.subOrderNumber;
    const address = parseAddress(line.address);
    parts.push(
      csvRow([
        line.orderNumber,
        line.subOrderNumber,
        chinaTime(line.createdAtMs),
        STATUS_ZH[line.status],
        line.titleZh,
        Object.values(parseOptions(line.options)).join("/"),
        line.quantity,
        yuan(line.unitPriceFen),
        yuan(line.unitPriceFen * line.quantity),
        firstOfSub ? yuan(line.shippingFen) : "",
        firstOfOrder ? yuan(line.orderTotalFen) : "",
        yuan(line.refundedFen),
        address.recipientName,
        address.phone,
        `${address.province}${address.city}${address.district}${address.detail}`,
      ]),
    );
  }
  return parts.join("");
}
