import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { CSV_MAX_LINES } from "../../worker/modules/orders/console-schemas";
import { csvCell, yuan } from "../../worker/modules/orders/csv";
import { call } from "../helpers";
import { china, insertOrder, type OrderWorld, orderWorld } from "../support/order-fixtures";
import { openShop } from "../support/tenants";

const HEADER = [
  "订单号",
  "子订单号",
  "下单时间",
  "状态",
  "商品",
  "规格",
  "数量",
  "单价(元)",
  "小计(元)",
  "运费(元)",
  "实付(元)",
  "已退款(元)",
  "收货人",
  "电话",
  "地址",
];

let world: OrderWorld;

/** RFC 4180 reading, enough to check what Excel would show: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else cell += ch;
  }
  return rows;
}

async function download(
  query = "",
  session = world.shopA,
): Promise<{ res: Response; bom: number[]; text: string; rows: string[][] }> {
  const res = await call(`/api/merchant/orders.csv${query ? `?${query}` : ""}`, { session });
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // The decoder drops a leading BOM, so the BOM is checked on the bytes and the text is what Excel would show.
  const text = new TextDecoder().decode(bytes);
  return { res, bom: [...bytes.slice(0, 3)], text, rows: parseCsv(text) };
}

beforeAll(async () => {
  world = await orderWorld();
});

describe("the merchant's CSV export", () => {
  it("is a UTF-8 attachment with a BOM and the Chinese header row", async () => {
    const { res, bom, rows } = await download();
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="orders-\d{8}\.csv"$/);
    expect(bom).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows[0]).toEqual(HEADER);
    expect(res.headers.get("x-export-truncated")).toBeNull();
  });

  it("has one row per order line, with yuan figures from fen and order amounts on the first row only", async () => {
    const { rows } = await download(`q=${world.mixed.number}`);
    const [subA, subB] = world.mixed.subOrderNumbers;
    const address = "广东省深圳市南山区科技园路 1 号";
    expect(rows.slice(1)).toEqual([
      [
        world.mixed.number,
        subA,
        "2026-11-25 10:00:00",
        "待发货",
        "纯棉T恤",
        "红色/M",
        "3",
        "19.90",
        "59.70",
        "8.00",
        "117.99",
        "0.00",
        "张三",
        "13800138000",
        address,
      ],
      [
        world.mixed.number,
        subA,
        "2026-11-25 10:00:00",
        "待发货",
        "船袜",
        "",
        "1",
        "0.29",
        "0.29",
        "",
        "",
        "0.29",
        "张三",
        "13800138000",
        address,
      ],
      [
        world.mixed.number,
        subB,
        "2026-11-25 10:00:00",
        "已发货",
        "遮阳帽",
        "",
        "1",
        "50.00",
        "50.00",
        "0.00",
        "",
        "0.00",
        "张三",
        "13800138000",
        address,
      ],
    ]);
  });

  it("takes the list's filters: status, China-time days", async () => {
    const numbers = async (query: string) => [...new Set((await download(query)).rows.slice(1).map((r) => r[0]))];
    expect(await numbers("status=cancelled")).toEqual([world.cancelled.number]);
    expect(await numbers("from=2026-11-25&to=2026-11-25")).toEqual([world.mixed.number, world.afterMidnight.number]);
    expect(await numbers("")).not.toContain(world.shopBOrder.number);
  });

  it("never lets a cell start a formula, and quotes commas, quotes and line breaks", async () => {
    const shop = await openShop();
    await insertOrder({
      merchantId: shop.merchantId,
      createdAtMs: china(2026, 11, 25, 11),
      address: { recipientName: "@SUM(A1)", phone: "+8613800000000", detail: '1 号, "东门"\n二楼' },
      packages: [
        {
          supplierId: world.supplierA.supplierId,
          lines: [
            {
              titleZh: '=HYPERLINK("http://evil.example","点我")',
              options: { 款式: "-1+1" },
              quantity: 1,
              unitPriceFen: 100,
              supplyPriceFen: 50,
            },
          ],
        },
      ],
    });
    const { text, rows } = await download("", shop);
    const row = rows[1] ?? [];
    expect(row[4]).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(row[5]).toBe("'-1+1");
    expect(row[12]).toBe("'@SUM(A1)");
    expect(row[13]).toBe("'+8613800000000");
    expect(row[14]).toBe('广东省深圳市南山区1 号, "东门"\n二楼');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
  });

  it(`stops at ${CSV_MAX_LINES} lines and says so in a header`, async () => {
    const shop = await openShop();
    const order = await insertOrder({
      merchantId: shop.merchantId,
      packages: [
        {
          supplierId: world.supplierA.supplierId,
          lines: [{ titleZh: "第一行", quantity: 1, unitPriceFen: 100, supplyPriceFen: 50 }],
        },
      ],
    });
    // One statement makes the other 10,000 lines; a batch of that many inserts would be slow for no benefit.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
       INSERT INTO order_lines (id, order_id, sub_order_id, sku_id, listing_id, product_id, sku_code, title_zh,
         quantity, unit_price_fen, supply_price_fen)
       SELECT 'oln_bulk' || i, ?1, ?3, 'sku_bulk', 'lst_bulk', 'prd_bulk', 'BULK', '批量', 1, 100, 50 FROM n`,
    )
      .bind(order.orderId, CSV_MAX_LINES, order.subOrderIds[0])
      .run();
    const { res, rows } = await download("", shop);
    expect(res.headers.get("x-export-truncated")).toBe("true");
    expect(rows).toHaveLength(CSV_MAX_LINES + 1);
  });
});

describe("CSV cells", () => {
  it.each([
    [0, "0.00"],
    [29, "0.29"],
    [1990, "19.90"],
    [123456789, "1234567.89"],
  ])("%i fen is %s yuan", (fen, text) => {
    expect(yuan(fen)).toBe(text);
  });

  it.each([
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@x", "'@x"],
    ["\tx", "'\tx"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["两行\n文字", '"两行\n文字"'],
    ["普通", "普通"],
  ])("%j is written as %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("numbers are written as they are, a negative one included", () => {
    expect(csvCell(-3)).toBe("-3");
  });
});
