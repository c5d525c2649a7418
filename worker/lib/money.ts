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

/**
 * Splits `totalFen` across parts in proportion to `weights`, by largest remainder, so the shares are integers that
 * add up to exactly `totalFen` (no fen lost or invented). Ties go to the earlier part; all-zero weights split evenly.
 * @example allocateFen(100, [1, 1, 1]) // [34, 33, 33]
 */
export function allocateFen(totalFen: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) throw new RangeError(`allocateFen: bad total ${totalFen}`);
  if (weights.length === 0) {
    if (totalFen === 0) return [];
    throw new RangeError("allocateFen: nothing to allocate to");
  }
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError("allocateFen: bad weights");
  const even = weights.every((w) => w === 0);
  const basis = even ? weights.map(() => 1) : weights;
  const sum = basis.reduce((a, b) => a + b, 0);
  // BigInt keeps total × weight exact even when both are large.
  const shares = basis.map((w) => (BigInt(totalFen) * BigInt(w)) / BigInt(sum));
  const remainders = basis.map((w, i) => ({ i, r: (BigInt(totalFen) * BigInt(w)) % BigInt(sum) }));
  let left = totalFen - Number(shares.reduce((a, b) => a + b, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    left -= 1;
  }
  return shares.map(Number);
}

/**
 * Yuan text as people type it (`19.9`, `19.90`, `19`; up to 7 integer digits and 2 decimals) to integer fen, by
 * string arithmetic so no binary float is ever involved; undefined for anything else (negative, three decimals,
 * exponents, words). Forms that show prices with a ¥ accept it back with `currencySign`.
 * @example parseYuan("12.5") // 1250
 * @example parseYuan("¥8", { currencySign: true }) // 800
 */
export function parseYuan(text: string, options: { currencySign?: boolean } = {}): number | undefined {
  const pattern = options.currencySign ? /^¥?\s*(\d{1,7})(?:\.(\d{1,2}))?$/ : /^(\d{1,7})(?:\.(\d{1,2}))?$/;
  const match = pattern.exec(text.trim());
  if (!match?.[1]) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}
