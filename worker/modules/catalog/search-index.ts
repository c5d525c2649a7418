/**
 * @module catalog/search-index: Chinese-capable full-text search on D1's FTS5 without a custom tokenizer.
 * Han text has no spaces, so each run of Han characters is indexed as its single characters and its bigrams
 * ("补水面膜" → 补 水 面 膜 补水 水面 面膜); Latin words and numbers stay whole (lowercased). A query is cut the same
 * way and every piece must match, so 面膜 finds 补水面膜 and 补水面膜 does not find 面膜 alone.
 */

const HAN = /\p{Script=Han}/u;
/** A run of Han characters, or a run of other letters and digits (so "2000米" is "2000" + "米", not one blob). */
const PIECE = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

/** The tokens one text is indexed under, deduplicated, in first-seen order. */
export function indexTerms(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(PIECE)) {
    const run = match[0];
    if (!HAN.test(run)) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    for (const ch of chars) out.add(ch);
    for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  }
  return [...out];
}

/** The tokens a query must all match: Han runs as bigrams (or the single character), other words whole. */
export function queryTerms(query: string): string[] {
  const out = new Set<string>();
  for (const match of query.normalize("NFKC").toLowerCase().matchAll(PIECE)) {
    const run = match[0];
    if (!HAN.test(run)) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) out.add(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  }
  return [...out];
}

/**
 * An FTS5 MATCH expression with every term quoted, so user input can never be read as FTS syntax.
 * Returns undefined when the query has nothing searchable.
 * @example ftsMatch("补水 面膜") // '"补水" "面膜"'
 */
export function ftsMatch(query: string): string | undefined {
  const terms = queryTerms(query).slice(0, 16);
  if (terms.length === 0) return undefined;
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(" ");
}

/** Statements that replace a product's row in the `product_search` FTS table; run them in the product's batch. */
export function searchIndexStatements(d1: D1Database, productId: string, texts: (string | null | undefined)[]) {
  const terms = indexTerms(texts.filter(Boolean).join(" ")).join(" ");
  return [
    d1.prepare("DELETE FROM product_search WHERE product_id = ?").bind(productId),
    d1.prepare("INSERT INTO product_search (product_id, terms) VALUES (?, ?)").bind(productId, terms),
  ];
}
