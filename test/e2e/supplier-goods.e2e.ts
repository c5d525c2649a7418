/**
 * The supplier console's goods pages as a supplier meets them, in real headless Chromium against the built Worker
 * with the demo data: the product list, a new product built from one attribute (grid made by the API, prices typed
 * in yuan), a SKU price edited on the product page, an image uploaded, delisting, and the change history.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type RunningServer, startServer } from "./server.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

let server: RunningServer;
let browser: Browser;
let page: Page;
let productUrl = "";

before(async () => {
  server = await startServer(8797);
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.origin()}/sign-in?next=/supplier/products`);
  await page.getByLabel(/邮箱|Email/).fill("fresh@demo.local");
  await page.getByLabel(/密码|Password/).fill("demo-password-2026");
  await Promise.all([
    page.waitForURL(`${server.origin()}/supplier/products`),
    page.locator("form#sign-in button[type=submit]").click(),
  ]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the goods list shows the supplier's products with status, stock and ¥ price ranges", async () => {
  assert.match((await page.locator("h1").textContent()) ?? "", /商品管理/);
  const first = page.locator("table.goods tbody tr").first();
  const cells = await first.locator("td").allTextContents();
  assert.match(cells[1] ?? "", /已上架|已下架|草稿/);
  assert.match(cells[4] ?? "", /^¥\d+\.\d{2}( – ¥\d+\.\d{2})?$/);
});

test("a new product: the attribute values become SKU rows, yuan prices are saved as fen", async () => {
  await page.goto(`${server.origin()}/supplier/products/new`);
  await page.locator("#categoryId").selectOption({ index: 1 });
  await page.locator("#titleZh").fill("端到端测试脐橙");
  await page.locator("#descriptionZh").fill("酸甜多汁。");
  await page.locator("#axis-name-1").fill("规格");
  await page.locator("#axis-values-1").fill("3斤，5斤");
  await page.locator("#build-grid").click();
  await page.locator("#sku-grid tr").nth(1).waitFor();
  const rows = page.locator("#sku-grid tr");
  const stamp = Date.now();
  for (const [i, [supply, retail]] of [
    ["19.9", "29.90"],
    ["29.90", "45"],
  ].entries()) {
    const row = rows.nth(i);
    await row.locator('[data-field="code"]').fill(`E2E-${stamp}-${i}`);
    await row.locator('[data-field="supply"]').fill(supply ?? "");
    await row.locator('[data-field="retail"]').fill(retail ?? "");
    await row.locator('[data-field="weight"]').fill("1500");
    await row.locator('[data-field="stock"]').fill("80");
  }
  await Promise.all([
    page.waitForURL(/\/supplier\/products\/prd_/),
    page.locator('button[data-intent="listed"]').click(),
  ]);
  productUrl = page.url();
  assert.equal(await page.locator('input[name="supply"]').first().inputValue(), "19.90");
  assert.equal(await page.locator('input[name="retail"]').nth(1).inputValue(), "45.00");
  assert.match((await page.locator("#status-form").textContent()) ?? "", /已上架/);
});

test("editing a SKU's supply price and delisting show up in the change history", async () => {
  assert.ok(productUrl, "the product from the previous test exists");
  await page.goto(productUrl);
  const form = page.locator("form.sku-form").first();
  const id = await form.getAttribute("id");
  await page.locator(`input[form="${id}"][name="supply"]`).fill("21.5");
  await form.locator("button").click();
  await form.locator("[data-status]").filter({ hasText: "已保存" }).waitFor();
  await Promise.all([page.waitForEvent("load"), page.locator('#status-form button[value="delisted"]').click()]);
  const history = await page.locator('section[aria-labelledby="history-heading"] tbody').textContent();
  assert.match(history ?? "", /¥19\.90 → ¥21\.50/);
  assert.match(history ?? "", /已上架 → 已下架/);
});

test("an uploaded image appears on the product page and is served from /api/media", async () => {
  await page.goto(productUrl);
  await page.locator("#image-file").setInputFiles({ name: "front.png", mimeType: "image/png", buffer: PNG });
  await page.locator("#image-alt").fill("正面");
  await Promise.all([page.waitForEvent("load"), page.locator("#image-form button[type=submit]").click()]);
  const src = await page.locator("ul.images img").first().getAttribute("src");
  assert.match(src ?? "", /^\/api\/media\/p\/sup_[^/]+\/prd_[^/]+\/img_/);
  const res = await page.request.get(`${server.origin()}${src}`);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()["content-type"], "image/png");
});
