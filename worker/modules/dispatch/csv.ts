/**
 * @module dispatch/csv: a supplier's dispatches of one status as a spreadsheet for the warehouse — one row per line
 * to pack, the address on every row so a filtered sheet still ships. UTF-8 with a BOM (Excel), Chinese headers
 * whatever the console language, and the same formula guard as the merchant's order export: addresses and notes are
 * typed by shoppers, so `=HYPERLINK(…)` in a name must stay text.
 */
import type { DispatchStatus } from "../../db/schema";
import { chinaTime, csvCell } from "../orders/csv";
import { chinaDay } from "../orders/numbers";
import type { DispatchPayload } from "./payload";
import { listDispatches } from "./pull";

const BOM = "\uFEFF";
/** Dispatches an export holds at most; a bigger backlog is cut and says so in a header. */
export const DISPATCH_CSV_MAX = 2_000;

export const DISPATCH_CSV_HEADER = [
  "子订单号",
  "订单号",
  "店铺",
  "推送时间",
  "推送状态",
  "推送次数",
  "最后状态码",
  "SKU编码",
  "商品",
  "规格",
  "数量",
  "收货人",
  "电话",
  "省",
  "市",
  "区",
  "详细地址",
  "邮编",
  "买家留言",
  "dispatch_id",
] as const;

const STATUS_ZH: Record<DispatchStatus, string> = {
  pending: "待接收",
  delivered: "已送达",
  acknowledged: "已接单",
  failed: "推送失败",
};

function csvRow(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export interface DispatchCsvRow {
  id: string;
  status: DispatchStatus;
  attempts: number;
  lastStatusCode: number | null;
  createdAtMs: number;
  payload: DispatchPayload;
}

export function dispatchesCsv(rows: readonly DispatchCsvRow[]): string {
  const parts = [BOM, csvRow(DISPATCH_CSV_HEADER)];
  for (const row of rows) {
    const { data } = row.payload;
    const r = data.recipient;
    for (const line of data.lines) {
      parts.push(
        csvRow([
          data.subOrderNumber,
          data.orderNumber,
          data.shop.name,
          chinaTime(row.createdAtMs),
          STATUS_ZH[row.status],
          row.attempts,
          row.lastStatusCode ?? "",
          line.skuCode,
          line.title,
          Object.values(line.options).join("/"),
          line.quantity,
          r.name,
          r.phone,
          r.province,
          r.city,
          r.district,
          r.detail,
          r.postalCode ?? "",
          data.note ?? "",
          row.id,
        ]),
      );
    }
  }
  return parts.join("");
}

/** The export of one tab of the console, oldest first like the pull API, and whether the cap cut it short. */
export async function supplierDispatchesCsv(
  d1: D1Database,
  supplierId: string,
  status: DispatchStatus,
  nowMs = Date.now(),
): Promise<{ csv: string; truncated: boolean; filename: string }> {
  const page = await listDispatches(d1, supplierId, { status, limit: DISPATCH_CSV_MAX });
  const rows = page.items.map((item) => ({ ...item, payload: item.event as DispatchPayload }));
  return {
    csv: dispatchesCsv(rows),
    truncated: page.nextCursor !== null,
    filename: `dispatches-${status}-${chinaDay(nowMs)}.csv`,
  };
}
