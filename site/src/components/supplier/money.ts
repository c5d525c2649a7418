/**
 * @module supplier/money: fen ↔ the yuan text supplier forms show and accept, with integer arithmetic only, so
 * "19.90" is always 1990 fen and never 1989.
 */

import { formatFen, parseYuan } from "../../../../worker/lib/money";

export { formatFen };

/** `19.90` for 1990: what a price input starts with. */
export function fenToYuanText(fen: number | null): string {
  return fen === null ? "" : formatFen(fen).replace("¥", "");
}

/** `¥8.00 – ¥15.00`, or one price when min and max agree. */
export function formatFenRange(range: { min: number; max: number } | null): string {
  if (!range) return "—";
  return range.min === range.max ? formatFen(range.min) : `${formatFen(range.min)} – ${formatFen(range.max)}`;
}

/** Fen for yuan text like `19.9`, `¥19.90` or `19`; undefined for anything else. */
export function yuanTextToFen(text: string): number | undefined {
  return parseYuan(text, { currencySign: true });
}
