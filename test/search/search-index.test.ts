import { describe, expect, it } from "vitest";
import { ftsMatch, indexTerms, queryTerms } from "../../worker/modules/catalog/search-index";

describe("Chinese-capable search terms", () => {
  it("indexes Han runs as characters and bigrams, so 面膜 is found inside 补水面膜", () => {
    const terms = indexTerms("玻尿酸补水面膜");
    expect(terms).toContain("面膜");
    expect(terms).toContain("补水");
    expect(terms).toContain("膜");
    for (const term of queryTerms("补水面膜")) expect(terms).toContain(term);
  });

  it("keeps numbers and Latin words whole next to Chinese, so 2000 and 125g are searchable", () => {
    const terms = indexTerms("云南2000米高原蓝莓 125g×4盒 Blueberry");
    expect(terms).toEqual(expect.arrayContaining(["2000", "米高", "125g", "4", "盒", "blueberry"]));
    expect(terms).not.toContain("0米");
  });

  it("a query word that is not in the text does not match", () => {
    const terms = new Set(indexTerms("玻尿酸补水面膜"));
    expect(queryTerms("面霜").every((t) => terms.has(t))).toBe(false);
  });

  it("quotes every term so user input is never FTS syntax, and has nothing to match for punctuation only", () => {
    expect(ftsMatch('面膜" OR x*')).toBe('"面膜" "or" "x"');
    expect(ftsMatch("  ？！ ")).toBeUndefined();
  });
});
