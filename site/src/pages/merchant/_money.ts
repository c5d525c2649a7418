/**
 * @module merchant/money: prices and margins as merchants type and read them (yuan text is parsed by `parseYuan` in
 * worker/lib/money.ts). The leading underscore keeps Astro from routing this file.
 */

/** What goes into a price input: `1320` → `"13.20"`. */
export function yuanInput(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}

/** A percentage typed by the merchant (`"12.5"`) in basis points (`1250`); undefined when it is not a number. */
export function bpsFromPercent(text: string): number | undefined {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** `1250` → `"12.5"`: a margin as merchants read it, without a trailing zero. */
export function percentText(bps: number): string {
  return (bps / 100).toFixed(2).replace(/\.?0+$/, "");
}
