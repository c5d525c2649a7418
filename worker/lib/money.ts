/**
 * @module money: how an amount of fen is shown to people. Integer arithmetic only, so no float rounding
 * can ever turn ¥0.29 into ¥0.28.
 */

/**
 * `¥` + yuan + two decimals, without digit grouping (how Chinese shops print prices). A negative amount (a refund,
 * a discount line) gets a leading minus. Anything but a safe integer is a bug upstream and is refused.
 * @example formatFen(1250) // "¥12.50"
 * @example formatFen(-5) // "-¥0.05"
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`formatFen expects an integer number of fen, got ${fen}`);
  const abs = Math.abs(fen);
  const cents = abs % 100;
  // Subtracting the remainder first keeps the division exact: no fractional intermediate ever exists.
  const yuan = (abs - cents) / 100;
  return `${fen < 0 ? "-" : ""}¥${yuan}.${String(cents).padStart(2, "0")}`;
}
