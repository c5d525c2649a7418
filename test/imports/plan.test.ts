import { describe, expect, it } from "vitest";
import { parseYuan } from "../../worker/lib/money";
import { COLUMNS, parseRow, readHeader } from "../../worker/modules/imports/columns";
import { csvLine } from "../../worker/modules/imports/csv";
import { decodeUtf8, planImport } from "../../worker/modules/imports/plan";
import { csvOf, productRows, singleRow } from "./helpers";

const encode = (text: string) => new TextEncoder().encode(text);
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

function withBom(text: string): Uint8Array {
  const body = encode(text);
  const out = new Uint8Array(BOM.length + body.length);
  out.set(BOM);
  out.set(body, BOM.length);
  return out;
}

describe("parseYuan: yuan text to integer fen without floats", () => {
  it.each([
    ["12.50", 1250],
    ["12.5", 1250],
    ["12", 1200],
    ["0.01", 1],
    ["0.29", 29],
    ["1234567.89", 123456789],
    [" 8.8 ", 880],
  ])("%s → %i fen", (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each(["12.345", "-1", "1e3", "¥12", "12,50", "", ".5", "12.", "abc", "12345678"])("refuses %j", (text) => {
    expect(parseYuan(text)).toBeUndefined();
  });
});

describe("the header", () => {
  it("maps columns in any order, case and spacing aside", () => {
    const header = readHeader(
      [" SKU_CODE", "product_code", "category_id", "title_zh", "description_zh", "supply_price"].concat([
        "suggested_retail_price",
        "stock",
      ]),
    );
    expect(header.ok && header.index.get("sku_code")).toBe(0);
    expect(header.ok && header.index.get("stock")).toBe(7);
  });

  it("refuses a missing required column, an unknown one and a repeated one", () => {
    const missing = readHeader(["product_code", "sku_code"]);
    expect(missing.ok ? "" : missing.message).toMatch(/missing_column.*|缺少必填列/);
    const unknown = readHeader([...COLUMNS, "supply_prize"]);
    expect(unknown.ok ? "" : unknown.message).toContain("supply_prize");
    const repeated = readHeader([...COLUMNS, "stock"]);
    expect(repeated.ok ? "" : repeated.message).toContain("duplicate_column");
  });
});

describe("one row", () => {
  const index = new Map(COLUMNS.map((c, i) => [c, i]));
  const fieldsOf = (row: Record<string, string>) => COLUMNS.map((c) => row[c] ?? "");

  it("types a good row: prices in fen, stock and weight as integers, axes in order", () => {
    const parsed = parseRow(7, fieldsOf(productRows("P", "cat_x")[0] ?? {}), index);
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({
        row: 7,
        productCode: "P",
        axes: [
          { name: "颜色", value: "红" },
          { name: "尺码", value: "M" },
        ],
        supplyPriceFen: 1050,
        suggestedRetailFen: 2990,
        mapFen: 1990,
        weightGrams: 250,
        stock: 100,
        status: "draft",
      }),
    });
  });

  it("an empty map price, weight and status read as none, 0 and unset", () => {
    const parsed = parseRow(2, fieldsOf(singleRow("S", "cat_x")), index);
    expect(parsed.ok && parsed.value).toMatchObject({ mapFen: null, weightGrams: 0, status: null, axes: [] });
  });

  it("names every wrong column of a row at once", () => {
    const row = singleRow("S", "cat_x", { supply_price: "12.345", stock: "-3", status: "sold", sku_code: "" });
    const parsed = parseRow(5, fieldsOf(row), index);
    expect(parsed.ok).toBe(false);
    const columns = parsed.ok ? [] : parsed.issues.map((i) => i.column).sort();
    expect(columns).toEqual(["sku_code", "status", "stock", "supply_price"]);
  });

  it("an attribute needs both name and value, and axes start at attr1", () => {
    const half = parseRow(2, fieldsOf(singleRow("S", "c", { attr1_name: "颜色" })), index);
    expect(half.ok ? [] : half.issues.map((i) => i.column)).toEqual(["attr1_value"]);
    const gap = parseRow(2, fieldsOf(singleRow("S", "c", { attr2_name: "颜色", attr2_value: "红" })), index);
    expect(gap.ok ? [] : gap.issues.map((i) => i.message)).toEqual([expect.stringContaining("attribute_gap")]);
  });
});

describe("planning an upload", () => {
  it("counts data rows, skips blank lines, and records where the header ends", () => {
    const text = `${csvOf([singleRow("A", "c"), singleRow("B", "c")])}\r\n`;
    const result = planImport(encode(text));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.totalRows).toBe(2);
    expect(result.plan.headerEnd).toBe(encode(csvLine(COLUMNS)).byteLength);
  });

  it("cuts chunks of about the chunk size, never inside a product, and their byte ranges cover the file", () => {
    const rows = [...productRows("P1", "c"), ...productRows("P2", "c"), ...productRows("P3", "c", ["红"], ["S"])];
    const bytes = encode(csvOf(rows));
    const result = planImport(bytes, 3);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.chunks.map((c) => [c.fromRow, c.toRow])).toEqual([
      [2, 5],
      [6, 9],
      [10, 10],
    ]);
    const { chunks, headerEnd } = result.plan;
    expect(chunks[0]?.byteStart).toBe(headerEnd);
    for (const [i, chunk] of chunks.entries()) if (i > 0) expect(chunk.byteStart).toBe(chunks[i - 1]?.byteEnd);
    expect(chunks.at(-1)?.byteEnd).toBe(bytes.byteLength);
  });

  it("also ends a chunk after a number of products, so many one-SKU products stay within D1's query budget", () => {
    const rows = Array.from({ length: 7 }, (_, i) => singleRow(`S${i}`, "c"));
    const result = planImport(encode(csvOf(rows)), 200, 3);
    expect(result.ok && result.plan.chunks.map((c) => [c.fromRow, c.toRow])).toEqual([
      [2, 4],
      [5, 7],
      [8, 8],
    ]);
  });

  it("byte ranges account for a BOM and multi-byte characters, so each slice decodes to whole rows", () => {
    const rows = [
      singleRow("甲", "c", { title_zh: "中文标题 😀" }),
      singleRow("乙", "c", { description_zh: "多\n行" }),
    ];
    const bytes = withBom(csvOf(rows));
    const result = planImport(bytes, 1);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const second = result.plan.chunks[1];
    const slice = decodeUtf8(bytes.slice(second?.byteStart, second?.byteEnd));
    expect(slice).toBe(
      csvOf([rows[1] ?? {}])
        .split("\r\n")
        .slice(1)
        .join("\r\n"),
    );
  });

  it("refuses a file that is not UTF-8", () => {
    const gbk = new Uint8Array([0x70, 0x72, 0x6f, 0xc9, 0xcc, 0xc6, 0xb7, 0x0a]);
    const result = planImport(gbk);
    expect(result.ok ? "" : result.message).toContain("not_utf8");
  });

  it("refuses rows of one product that are not next to each other, naming the row", () => {
    const rows = [singleRow("A", "c"), singleRow("B", "c"), singleRow("A", "c", { sku_code: "A-2" })];
    const result = planImport(encode(csvOf(rows)));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toEqual([
      expect.objectContaining({ path: "row 4", code: "product_rows_apart" }),
    ]);
  });

  it("refuses a file with only a header, an empty file and broken CSV", () => {
    expect(planImport(encode(csvLine(COLUMNS))).ok).toBe(false);
    expect(planImport(new Uint8Array()).ok).toBe(false);
    const broken = planImport(encode(`${csvLine(COLUMNS)}"never closed,1\n`));
    expect(broken.ok ? [] : broken.issues).toEqual([expect.objectContaining({ path: "row 2", code: "csv_syntax" })]);
  });
});
