/**
 * @module orders/numbers: order numbers people read out on the phone — the day in China time, then a daily
 * sequence of at least five digits: 2026112500001. Sub-orders append `-1`, `-2`, … A failed checkout leaves a gap,
 * which is fine; two checkouts never share a number (one atomic upsert per number).
 */

const CHINA_OFFSET_MS = 8 * 3_600_000;

export function chinaDay(nowMs: number): string {
  return new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll("-", "");
}

export async function nextOrderNumber(d1: D1Database, nowMs = Date.now()): Promise<string> {
  const day = chinaDay(nowMs);
  const row = await d1
    .prepare(
      `INSERT INTO order_sequences (day, last) VALUES (?1, 1)
       ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last`,
    )
    .bind(day)
    .first<{ last: number }>();
  if (!row) throw new Error("order_sequences upsert returned no row");
  return `${day}${String(row.last).padStart(5, "0")}`;
}

export function subOrderNumber(orderNumber: string, index: number): string {
  return `${orderNumber}-${index + 1}`;
}
