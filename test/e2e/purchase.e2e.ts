/**
 * A shopper buys on the demo shop from start to finish: signs in with the one-time code, puts a product in the cart,
 * checks out (adding a delivery address on the way), pays on devpay's hosted page on the platform host, comes back
 * to the order marked 已支付, and finds it in 我的订单.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type RunningServer, startServer } from "./server.ts";

let server: RunningServer;
let browser: Browser;

before(async () => {
  server = await startServer(8792);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = "13800138000";

async function signIn(page: Page, shop: string): Promise<void> {
  await page.goto(`${shop}/account/sign-in?lang=zh-CN`);
  await page.locator("#phone").fill(PHONE);
  await page.locator("#send-code").click();
  let code: string | undefined;
  for (let i = 0; i < 40 && !code; i++) {
    const outbox = (await (await fetch(`${server.origin()}/api/dev/outbox`)).json()) as {
      items: { recipient: string; body: string }[];
    };
    code = /验证码 (\d{6})/.exec(outbox.items.find((m) => m.recipient === PHONE)?.body ?? "")?.[1];
    if (!code) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(code, "the code reached the dev outbox");
  await page.locator("#code").fill(code);
  await Promise.all([page.waitForURL(/\/account$/), page.locator("form#shop-sign-in button[type=submit]").click()]);
}

test("a shopper checks out the cart, pays on devpay and sees the paid order in 我的订单", async () => {
  const shop = server.origin("demo.localhost");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, shop);

  await page.goto(`${shop}/search?q=${encodeURIComponent("面膜")}`);
  const href = await page.locator(".product-card-link").first().getAttribute("href");
  assert.ok(href, "the search found a product");
  await page.goto(`${shop}${href}`);
  const groups = page.locator("[data-picker-options] fieldset");
  for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).locator("label").first().click();
  await page.locator("[data-add-to-cart] button[type=submit]").click();
  await page
    .locator("[data-cart-status]")
    .filter({ hasText: /已加入购物车/ })
    .waitFor();

  await page.goto(`${shop}/cart`);
  await Promise.all([page.waitForURL(/\/checkout$/), page.locator(".cart-summary a[href='/checkout']").click()]);

  // Add an address through the checkout page's link (the demo data may or may not hold one), then pick it.
  await Promise.all([
    page.waitForURL(/\/account\/addresses$/),
    page.getByRole("link", { name: /添加收货地址|管理或新增收货地址/ }).click(),
  ]);
  await page.locator("#recipientName").fill("张三");
  await page.locator("#phone").fill(PHONE);
  await page.locator("#province").selectOption("浙江省");
  await page.locator("#city").fill("杭州市");
  await page.locator("#district").fill("西湖区");
  await page.locator("#detail").fill("文三路 100 号 2 幢 301 室");
  await page.locator("#address-form button[type=submit]").click();
  await page.locator("#book-status").filter({ hasText: "地址已保存" }).waitFor();

  await page.goto(`${shop}/checkout`);
  const mine = page.locator(".address-option").filter({ hasText: "文三路 100 号" });
  if (!(await mine.locator("input").isChecked())) {
    await Promise.all([page.waitForURL(/[?&]address=adr_/), mine.locator("input").check()]);
  }
  assert.equal(
    await page.locator(".address-option").filter({ hasText: "文三路 100 号" }).locator("input").isChecked(),
    true,
  );
  assert.ok((await page.locator(".package").count()) >= 1, "the cart shows as at least one package");
  const total = ((await page.locator("[data-total]").textContent()) ?? "").trim();
  assert.match(total, /^¥\d+\.\d{2}$/);
  await page.locator("#note").fill("请放门口");

  await Promise.all([
    page.waitForURL(/^http:\/\/localhost:8792\/devpay\/dpp_/),
    page.locator("#checkout-form button[type=submit]").click(),
  ]);
  assert.match((await page.locator("h1, .devpay-header").first().textContent()) ?? "", /模拟支付/);
  assert.equal(((await page.locator(".devpay-amount").textContent()) ?? "").trim(), total);
  assert.match((await page.locator("[data-countdown]").textContent()) ?? "", /剩余 \d+:\d{2}/);

  await Promise.all([
    page.waitForURL(/demo\.localhost:8792\/account\/orders\/ord_[^?]+\?from=pay$/),
    page.getByRole("button", { name: /支付/ }).first().click(),
  ]);
  const orderUrl = new URL(page.url());
  await page.locator("#banner-title").filter({ hasText: "已支付" }).waitFor({ timeout: 15_000 });
  assert.match((await page.locator(".banner").textContent()) ?? "", /支付成功/);
  const facts = (await page.locator(".facts").textContent()) ?? "";
  assert.match(facts, /请放门口/);
  assert.match(facts, /张三[\s\S]*文三路 100 号/);
  const timeline = (await page.locator(".timeline").textContent()) ?? "";
  assert.match(timeline, /提交订单/);
  assert.match(timeline, /支付成功/);
  assert.ok(await page.getByRole("link", { name: /申请售后/ }).count(), "a paid package offers after-sales");
  const number = (await page.locator(".facts dd").first().textContent())?.trim() ?? "";
  assert.match(number, /^\d{10,}$/);

  await page.goto(`${shop}/account`);
  await Promise.all([page.waitForURL(/\/account\/orders$/), page.getByRole("link", { name: "我的订单" }).click()]);
  const card = page.locator("[data-order-card]").filter({ hasText: number });
  assert.equal(await card.count(), 1, "the order is listed");
  assert.match((await card.locator(".order-stage").textContent()) ?? "", /待发货/);
  assert.match((await card.textContent()) ?? "", new RegExp(total.replace(".", "\\.")));
  assert.equal(await card.locator("a.order-body").getAttribute("href"), orderUrl.pathname);

  await page.goto(`${shop}/account/orders?tab=to_ship`);
  assert.equal(await page.locator("[data-order-card]").filter({ hasText: number }).count(), 1);
  await page.goto(`${shop}/account/orders?tab=unpaid`);
  assert.equal(await page.locator("[data-order-card]").filter({ hasText: number }).count(), 0);
  await context.close();
});
