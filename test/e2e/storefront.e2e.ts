/**
 * The demo storefront as a shopper meets it, in real headless Chromium against the built Worker with the seeded
 * demo catalog: home, a Chinese search typed into the header form, a product from the results, a variant picked
 * and its price and stock shown, prices as ¥x.xx, the no-JS variant list, 404s, and the anonymous page cache.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { formatFen } from "../../worker/lib/money.ts";
import { demoCatalog } from "../../worker/seed/catalog.ts";
import { launchBrowser } from "./browser.ts";
import { type RunningServer, startServer } from "./server.ts";

const PRICE = /^¥\d+\.\d{2}( 起)?$/;
const SEARCH_WORD = "面膜";

let server: RunningServer;
let browser: Browser;
let shop: string;

before(async () => {
  server = await startServer(8798);
  browser = await launchBrowser();
  shop = server.origin("demo.localhost");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Node does not resolve `*.localhost`, and fetch() drops a Host header: talk HTTP to loopback directly. */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: server.port, path, headers: { host: `demo.localhost:${server.port}`, ...headers } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on("error", reject);
      req.end();
    },
  );
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.trim());
}

/** The seeded supply prices of a product, as a storefront would print them. */
function supplyPriceTexts(productId: string): string[] {
  const product = demoCatalog(Date.now()).products.find((p) => p.id === productId);
  return (product?.skus ?? []).map((sku) => formatFen(sku.supplyPriceFen));
}

test("the demo home shows products with ¥x.xx prices, a category nav and 猜你喜欢", async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${shop}/?lang=zh-CN`);
  assert.equal(res?.status(), 200);
  const prices = await texts(page, ".product-card .price");
  assert.ok(prices.length > 0, "the home page lists products");
  for (const price of prices) assert.match(price, PRICE);
  assert.ok(await page.getByRole("navigation", { name: "商品分类" }).count(), "a category nav is on the home page");
  assert.ok(await page.getByRole("heading", { name: "猜你喜欢" }).count(), "the recommendations section renders");
  await page.close();
});

test("a shopper searches in Chinese, opens a result, picks a variant and sees its price and stock", async () => {
  const page = await browser.newPage();
  await page.goto(`${shop}/`);
  await page.getByRole("searchbox", { name: "搜索本店商品" }).fill(SEARCH_WORD);
  await Promise.all([page.waitForURL(/\/search\?q=/), page.getByRole("searchbox").press("Enter")]);
  assert.match((await page.locator("h1").textContent()) ?? "", new RegExp(SEARCH_WORD));
  assert.match((await page.locator("main [role=status]").textContent()) ?? "", /共找到 \d+ 件商品/);
  const titles = await texts(page, ".product-card-title");
  assert.ok(titles.length > 0, "the search found products");
  for (const title of titles) assert.match(title, new RegExp(SEARCH_WORD), `${title} matches the query`);

  // Open the results until one has variants to choose from (a multi-SKU product).
  const hrefs = await page
    .locator(".product-card-link")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  let picked = false;
  for (const href of hrefs) {
    const res = await page.goto(`${shop}${href}`);
    assert.equal(res?.status(), 200);
    assert.match((await page.locator("[data-price]").textContent()) ?? "", PRICE);
    const groups = page.locator("[data-picker-options] fieldset");
    if ((await groups.count()) === 0 || !(await page.locator("[data-picker-options]").isVisible())) continue;

    const rows = await page.locator(".variant-list tbody tr").evaluateAll((trs) =>
      trs.map((tr) => ({
        sku: tr.getAttribute("data-sku-row") ?? "",
        price: tr.querySelector("td")?.textContent?.trim() ?? "",
        stock: tr.querySelectorAll("td")[1]?.textContent?.trim() ?? "",
      })),
    );
    // Choose the last value of every option group: a concrete SKU, usually not the cheapest one.
    for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).locator("label").last().click();
    const sku = await page.locator("[data-variant-picker]").getAttribute("data-selected-sku");
    const row = rows.find((r) => r.sku === sku);
    assert.ok(row, `the picked SKU ${sku} is one of the listed variants`);
    assert.equal((await page.locator("[data-price]").textContent())?.trim(), row.price);
    assert.match(row.price, /^¥\d+\.\d{2}$/);
    assert.equal((await page.locator("[data-stock]").textContent())?.trim(), row.stock);
    assert.match((await page.locator("[data-selected]").textContent()) ?? "", /已选/);

    const html = await page.content();
    const productId = href.split("/").pop() ?? "";
    for (const supplyPrice of supplyPriceTexts(productId)) {
      if (!rows.some((r) => r.price === supplyPrice)) assert.ok(!html.includes(supplyPrice), `${supplyPrice} leaked`);
    }
    picked = true;
    break;
  }
  assert.ok(picked, "one of the results had variants to pick");
  await page.close();
});

test("without JavaScript every variant is listed with its price", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${shop}/search?q=${encodeURIComponent(SEARCH_WORD)}`);
  const hrefs = await page
    .locator(".product-card-link")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  let listed = false;
  for (const href of hrefs) {
    await page.goto(`${shop}${href}`);
    if ((await page.locator(".variant-list").count()) === 0) continue;
    assert.equal(await page.locator("[data-picker-options]").isVisible(), false);
    const prices = await texts(page, ".variant-list tbody td:first-of-type");
    assert.ok(prices.length > 1);
    for (const price of prices) assert.match(price, /^¥\d+\.\d{2}$/);
    listed = true;
    break;
  }
  assert.ok(listed, "a multi-variant product lists its variants");
  await context.close();
});

test("unknown products and categories answer 404 inside the shop", async () => {
  const page = await browser.newPage();
  for (const path of ["/products/prd_does_not_exist", "/categories/cat_does_not_exist"]) {
    const res = await page.goto(`${shop}${path}`);
    assert.equal(res?.status(), 404, path);
    assert.match((await page.locator("header").textContent()) ?? "", /演示小店/);
  }
  await page.close();
});

test("anonymous pages are served from the cache on the second request, signed-in ones never", async () => {
  const path = `/search?q=${encodeURIComponent(SEARCH_WORD)}&e2e=${Date.now()}`;
  const first = await get(path);
  const second = await get(path);
  assert.equal(first.headers["x-cache"], "miss");
  assert.equal(second.headers["x-cache"], "hit");
  assert.equal(second.body, first.body);
  const signedIn = await get(path, { cookie: "ec_session=whoever" });
  assert.equal(signedIn.headers["x-cache"], "bypass");
});

test("each shop publishes its sitemap and robots.txt", async () => {
  const sitemap = await get("/sitemap.xml");
  assert.equal(sitemap.status, 200);
  assert.match(sitemap.body, /<loc>http:\/\/demo\.localhost:\d+\/products\/prd_/);
  const robots = (await get("/robots.txt")).body;
  assert.match(robots, /Sitemap: http:\/\/demo\.localhost:\d+\/sitemap\.xml/);
});
