/**
 * @module catalog/rules: pure checks on a product's shape — the SKU matrix its attributes generate, and the
 * pricing rules every SKU keeps (supply ≤ MAP ≤ suggested retail).
 */
import type { ProblemIssue } from "../../errors";
import type { Attribute } from "./schemas";

export type Options = Record<string, string>;

/**
 * Every combination of attribute values, in attribute order (the first axis varies slowest).
 * @example skuMatrix([{ name: "颜色", values: ["红", "蓝"] }]) // [{ 颜色: "红" }, { 颜色: "蓝" }]
 */
export function skuMatrix(attributes: Attribute[]): Options[] {
  let combos: Options[] = [{}];
  for (const axis of attributes) {
    combos = combos.flatMap((combo) => axis.values.map((value) => ({ ...combo, [axis.name]: value })));
  }
  return combos;
}

/** A stable key for a combination, independent of the order the client wrote the options in. */
function keyOf(attributes: Attribute[], options: Options): string {
  return JSON.stringify(attributes.map((axis) => (Object.hasOwn(options, axis.name) ? options[axis.name] : null)));
}

export function describeOptions(options: Options): string {
  const parts = Object.entries(options).map(([name, value]) => `${name}=${value}`);
  return parts.length ? parts.join(" / ") : "(no options)";
}

export interface MatrixCheck {
  issues: ProblemIssue[];
  missing: Options[];
  extra: Options[];
}

/** What is wrong with a set of SKU options against the attribute matrix; no issues means an exact cover. */
export function checkMatrix(attributes: Attribute[], skuOptions: Options[]): MatrixCheck {
  const expected = new Map(skuMatrix(attributes).map((combo) => [keyOf(attributes, combo), combo]));
  const axisNames = new Set(attributes.map((a) => a.name));
  const seen = new Set<string>();
  const issues: ProblemIssue[] = [];
  const extra: Options[] = [];
  skuOptions.forEach((options, i) => {
    const path = `skus.${i}.options`;
    const names = Object.keys(options);
    const foreign = names.filter((name) => !axisNames.has(name));
    const key = keyOf(attributes, options);
    if (foreign.length || names.length !== axisNames.size || !expected.has(key)) {
      extra.push(options);
      const why = foreign.length ? `unknown attribute ${foreign.join(", ")}` : "not a combination of the attributes";
      issues.push({ path, code: "extra_combination", message: `${describeOptions(options)}: ${why}` });
      return;
    }
    if (seen.has(key)) {
      extra.push(options);
      issues.push({ path, code: "duplicate_combination", message: `${describeOptions(options)} appears twice` });
      return;
    }
    seen.add(key);
  });
  const missing = [...expected.entries()].filter(([key]) => !seen.has(key)).map(([, combo]) => combo);
  for (const combo of missing) {
    issues.push({ path: "skus", code: "missing_combination", message: `No SKU for ${describeOptions(combo)}` });
  }
  return { issues, missing, extra };
}

export interface Prices {
  supplyPriceFen: number;
  suggestedRetailFen: number;
  mapFen: number | null;
}

/** Merchants sell at or above MAP, and the supplier's suggestion must leave them a margin over supply. */
export function priceIssues(prices: Prices, path: string): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const { supplyPriceFen: supply, suggestedRetailFen: retail, mapFen: map } = prices;
  if (retail < supply) {
    issues.push({
      path: `${path}suggestedRetailFen`,
      code: "retail_below_supply",
      message: `Suggested retail ${retail} fen is below the supply price ${supply} fen`,
    });
  }
  if (map !== null && map > retail) {
    issues.push({
      path: `${path}mapFen`,
      code: "map_above_retail",
      message: `MAP ${map} fen is above the suggested retail ${retail} fen`,
    });
  }
  if (map !== null && map < supply) {
    issues.push({
      path: `${path}mapFen`,
      code: "map_below_supply",
      message: `MAP ${map} fen is below the supply price ${supply} fen`,
    });
  }
  return issues;
}
