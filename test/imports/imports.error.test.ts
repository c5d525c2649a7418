import { beforeAll, describe, expect, it } from "vitest";
import { COLUMNS } from "../../worker/modules/imports/columns";
import { csvLine } from "../../worker/modules/imports/csv";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant } from "../helpers";
import { expectCode, issuePaths } from "../support/problems";
import {
  categoryChain,
  csvOf,
  errorsOf,
  importAndWait,
  productRows,
  type RowValues,
  settled,
  singleRow,
  skuByCode,
  skuCount,
  startImport,
  upload,
  uploadBytes,
} from "./helpers";

let admin: Session;
let supplier: SupplierTenant;
let leaf: string;
let middle: string;

beforeAll(async () => {
  admin = await platformAdmin();
  supplier = await approvedSupplier(admin);
  ({ leaf, middle } = await categoryChain());
});

const cells = (errors: { row: number; column: string }[]) => errors.map((e) => `${e.row}:${e.column}`).sort();

describe("bad rows", () => {
  it("each bad row is reported by row number and column, and the good rows are still imported", async () => {
    const own = await approvedSupplier(admin);
    const badPrice = productRows("BADP", leaf).map((row, i) => (i === 1 ? { ...row, supply_price: "abc" } : row));
    const rows: RowValues[] = [
      ...productRows("GOOD", leaf), // rows 2–5
      ...badPrice, // rows 6–9, row 7 broken
      ...productRows("MISS", leaf).slice(0, 3), // rows 10–12: 蓝/L missing
      singleRow("NOCAT", "cat_doesnotexist"), // row 13
      singleRow("MID", middle), // row 14
      singleRow("CHEAP", leaf, { supply_price: "20", suggested_retail_price: "10" }), // row 15
      singleRow("MAP", leaf, { suggested_retail_price: "29.9", map_price: "50" }), // row 16
      singleRow("FRAC", leaf, { stock: "1.5" }), // row 17
      singleRow("DUP", leaf, { sku_code: "GOOD-0-0" }), // row 18
      singleRow("MIX", leaf, { attr1_name: "颜色", attr1_value: "红", sku_code: "MIX-1" }), // row 19
      singleRow("MIX", leaf, { attr1_name: "颜色", attr1_value: "蓝", sku_code: "MIX-2", title_zh: "别的标题" }), // 20
      singleRow("FINE", leaf), // row 21
    ];
    const done = await importAndWait(own, csvOf(rows));
    expect(done).toMatchObject({
      status: "done",
      totalRows: 20,
      processedRows: 20,
      createdCount: 5,
      updatedCount: 0,
      errorCount: 15,
    });
    const errors = await errorsOf(own, done.id);
    expect(cells(errors)).toEqual(
      [
        "6:product_code",
        "7:supply_price",
        "8:product_code",
        "9:product_code",
        "10:product_code",
        "11:product_code",
        "12:product_code",
        "13:category_id",
        "14:category_id",
        "15:suggested_retail_price",
        "16:map_price",
        "17:stock",
        "18:sku_code",
        "19:product_code",
        "20:title_zh",
      ].sort(),
    );
    const at = (row: number) => errors.find((e) => e.row === row)?.message ?? "";
    expect(at(7)).toMatch(/供货价.*price_format/);
    expect(at(6)).toMatch(/第 7 行有错误.*product_has_errors/);
    expect(at(10)).toMatch(/缺少规格组合：颜色=蓝 \/ 尺码=L.*missing_combination/);
    expect(at(13)).toContain("unknown_category");
    expect(at(14)).toContain("category_not_leaf");
    expect(at(15)).toContain("retail_below_supply");
    expect(at(16)).toContain("map_above_retail");
    expect(at(17)).toContain("integer_format");
    expect(at(18)).toMatch(/第 2 行重复.*duplicate_sku_code/);
    expect(at(20)).toMatch(/第 19 行.*product_field_mismatch/);

    expect(await skuCount(own.supplierId)).toBe(5);
    expect(await skuByCode(own.supplierId, "GOOD-1-1")).not.toBeNull();
    expect(await skuByCode(own.supplierId, "FINE-1")).not.toBeNull();
    expect(await skuByCode(own.supplierId, "BADP-0-0")).toBeNull();
  });

  it("a new SKU code in a product whose other SKUs exist is an error; the existing ones still update", async () => {
    const own = await approvedSupplier(admin);
    await importAndWait(own, csvOf(productRows("GROW", leaf, ["红"], ["M"])));
    const rows = [
      { ...(productRows("GROW", leaf, ["红"], ["M"])[0] ?? {}), stock: "9" },
      ...productRows("GROW", leaf, ["蓝"], ["M"], { sku_code: "GROW-NEW" }),
    ];
    const done = await importAndWait(own, csvOf(rows));
    expect(done).toMatchObject({ updatedCount: 1, createdCount: 0, errorCount: 1 });
    expect(cells(await errorsOf(own, done.id))).toEqual(["3:sku_code"]);
    expect(await skuByCode(own.supplierId, "GROW-0-0")).toMatchObject({ stock: 9 });
    expect(await skuByCode(own.supplierId, "GROW-NEW")).toBeNull();
  });

  it("a re-import whose price breaks a rule leaves that SKU as it was and says why", async () => {
    const own = await approvedSupplier(admin);
    await importAndWait(own, csvOf([singleRow("RULE", leaf)]));
    const done = await importAndWait(own, csvOf([singleRow("RULE", leaf, { suggested_retail_price: "1" })]));
    expect(done).toMatchObject({ updatedCount: 0, errorCount: 1 });
    const [error] = await errorsOf(own, done.id);
    expect(error).toMatchObject({ row: 2, column: "suggested_retail_price" });
    expect(await skuByCode(own.supplierId, "RULE-1")).toMatchObject({ suggested_retail_fen: 990 });
  });
});

describe("the error list and report", () => {
  let importId: string;

  beforeAll(async () => {
    const rows = Array.from({ length: 7 }, (_, i) => singleRow(`ERR${i}`, "cat_nowhere"));
    rows.push(singleRow("ERRQ", leaf, { stock: "x", supply_price: "1,5" }));
    importId = (await settled(supplier, (await startImport(supplier, csvOf(rows))).id)).id;
  });

  it("pages through errors in row order with the total", async () => {
    const res = await call(`/api/supplier/imports/${importId}/errors?page=2&pageSize=3`, { session: supplier });
    expect(res.status).toBe(200);
    const body = await res.json<{ items: { row: number }[]; page: number; pageSize: number; total: number }>();
    expect(body).toMatchObject({ page: 2, pageSize: 3, total: 9 });
    expect(body.items.map((i) => i.row)).toEqual([5, 6, 7]);
  });

  it("?format=csv downloads every error as a CSV with a BOM, quoting messages that need it", async () => {
    const res = await call(`/api/supplier/imports/${importId}/errors?format=csv`, { session: supplier });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain(`import-${importId}-errors.csv`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("row,column,message");
    expect(lines).toHaveLength(10);
    expect(lines[1]).toMatch(/^2,category_id,类目 cat_nowhere 不存在/);
    expect(lines.filter((l) => l.startsWith("9,"))).toHaveLength(2);
  });

  it.each([
    ["pageSize=501", "pageSize"],
    ["page=0", "page"],
    ["format=xlsx", "format"],
  ])("a bad query (%s) is 400 validation_failed", async (query, path) => {
    const res = await call(`/api/supplier/imports/${importId}/errors?${query}`, { session: supplier });
    expect(issuePaths(await expectCode(res, 400, "validation_failed"))).toContain(path);
  });

  it("a malformed import id is 400, an unknown one 404", async () => {
    await expectCode(await call("/api/supplier/imports/nope", { session: supplier }), 400, "validation_failed");
    await expectCode(await call("/api/supplier/imports/imp_unknown0", { session: supplier }), 404, "not_found");
  });
});

describe("files refused at upload", () => {
  it("an 11 MB file is 413 payload_too_large", async () => {
    const big = csvLine(COLUMNS) + "x".repeat(11 * 1024 * 1024);
    await expectCode(await upload(supplier, big), 413, "payload_too_large");
  });

  it.each(["application/json", "text/plain", "multipart/form-data"])("Content-Type %s is 415", async (type) => {
    const body = type === "application/json" ? "{}" : csvOf([singleRow("CT", leaf)]);
    await expectCode(await upload(supplier, body, type), 415, "unsupported_media_type");
  });

  it("a header with an unknown column is 400 import_file_invalid naming it", async () => {
    const body = `${csvLine([...COLUMNS, "supply_prize"])}${csvLine(COLUMNS.map(() => "x"))}`;
    const problem = await expectCode(await upload(supplier, body), 400, "import_file_invalid");
    expect(problem.detail).toContain("supply_prize");
  });

  it("a header missing a required column is 400", async () => {
    const problem = await expectCode(
      await upload(supplier, "product_code,sku_code\nA,A-1\n"),
      400,
      "import_file_invalid",
    );
    expect(problem.detail).toContain("missing_column");
  });

  it("a file that is not UTF-8 (a GBK export) is 400 and says how to save it", async () => {
    const gbk = new Uint8Array([...new TextEncoder().encode(csvLine(COLUMNS)), 0xc9, 0xcc, 0xc6, 0xb7, 0x0a]);
    const problem = await expectCode(await uploadBytes(supplier, gbk), 400, "import_file_invalid");
    expect(problem.detail).toContain("UTF-8");
  });

  it("rows of one product apart from each other are 400 with the rows named", async () => {
    const body = csvOf([singleRow("A1", leaf), singleRow("B1", leaf), singleRow("A1", leaf, { sku_code: "A1-2" })]);
    const problem = await expectCode(await upload(supplier, body), 400, "import_file_invalid");
    expect(problem.issues).toEqual([expect.objectContaining({ path: "row 4", code: "product_rows_apart" })]);
  });

  it("an unclosed quote is 400 with its row", async () => {
    const problem = await expectCode(
      await upload(supplier, `${csvLine(COLUMNS)}"A,${leaf}\n`),
      400,
      "import_file_invalid",
    );
    expect(issuePaths(problem)).toEqual(["row 2"]);
  });

  it("an empty body and a header without rows are 400", async () => {
    await expectCode(await upload(supplier, ""), 400, "import_file_invalid");
    await expectCode(await upload(supplier, csvLine(COLUMNS)), 400, "import_file_invalid");
  });

  it("a refused file leaves no import behind", async () => {
    const own = await approvedSupplier(admin);
    await upload(own, "product_code\nA\n");
    const res = await call("/api/supplier/imports", { session: own });
    expect((await res.json<{ items: unknown[] }>()).items).toEqual([]);
  });
});
