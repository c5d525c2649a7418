/**
 * A guest puts a variant in the cart on the demo shop, sees it on /cart with the right price and subtotal, changes
 * the quantity, then signs in and finds the same cart waiting (merged into the shopper's cart).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type RunningServer, startServer } from "./server.ts";

let server: RunningServer;
let browser: Browser;

before(async () => {
  server = await startServer(8793);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const yuanToFen = (text: string) => Number(text.replace(/[^\d.]/g, "").replace(".", ""));

test("a guest adds a variant to the cart, adjusts it, and keeps it after signing in", async () => {
  const shop = server.origin("demo.localhost");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shop}/search?q=${encodeURIComponent("面膜")}&lang=zh-CN`);
  const href = await page.locator(".product-card-link").first().getAttribute("href");
  assert.ok(href, "the search found a product");
  await page.goto(`${shop}${href}`);
  const groups = page.locator("[data-picker-options] fieldset");
  for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).locator("label").first().click();
  const price = (await page.locator("[data-price]").textContent())?.trim() ?? "";
  assert.match(price, /^¥\d+\.\d{2}$/);
  await page.locator("[data-add-to-cart] button[type=submit]").click();
  const status = page.locator("[data-cart-status]");
  await status.filter({ hasText: /\S/ }).waitFor();
  assert.match((await status.textContent()) ?? "", /已加入购物车/);

  await page.goto(`${shop}/cart`);
  assert.equal(await page.locator(".cart-line").count(), 1);
  assert.match((await page.locator("#cart-subtotal").textContent()) ?? "", new RegExp(price.replace(".", "\\.")));
  await page.locator(".cart-line [data-step='1']").click();
  const doubled = `¥${((yuanToFen(price) * 2) / 100).toFixed(2)}`;
  await page.locator("#cart-subtotal").filter({ hasText: doubled }).waitFor();

  await page.goto(`${shop}/account/sign-in`);
  await page.locator("#phone").fill("13800138000");
  await page.locator("#send-code").click();
  let code: string | undefined;
  for (let i = 0; i < 40 && !code; i++) {
    const outbox = (await (await fetch(`${server.origin()}/api/dev/outbox`)).json()) as {
      items: { recipient: string; body: string }[];
    };
    code = /验证码 (\d{6})/.exec(outbox.items.find((m) => m.recipient === "13800138000")?.body ?? "")?.[1];
    if (!code) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(code, "the code reached the dev outbox");
  await page.locator("#code").fill(code);
  await Promise.all([page.waitForURL(/\/account$/), page.locator("form#shop-sign-in button[type=submit]").click()]);

  await page.goto(`${shop}/cart`);
  assert.equal(await page.locator(".cart-line").count(), 1, "the guest cart was merged into the shopper's cart");
  assert.match(
    (await page.locator("#cart-subtotal").textContent()) ?? "",
    new RegExp(`¥${((yuanToFen(price) * 2) / 100).toFixed(2).replace(".", "\\.")}`),
  );
  await context.close();
});
