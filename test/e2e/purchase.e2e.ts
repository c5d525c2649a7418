/**
 * A shopper buys on the demo shop from start to finish: signs in with the one-time code, puts a product in the cart,
 * checks out (adding a delivery address on the way), pays on devpay's hosted page on the platform host, comes back
 * to the order marked 已支付, and finds it in 我的订单. Then its supplier ships it through the supplier API and the
 * shopper's order page shows the parcel with its tracking.
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

  // The package's supplier ships it with tracking; the shopper sees the parcel on the order page.
  // Read from the page: the browser resolves *.localhost, Node's resolver does not.
  const orderId = orderUrl.pathname.split("/").at(-1) ?? "";
  const order = await page.evaluate(
    async (id) =>
      (await (await fetch(`/api/shop/orders/${id}`)).json()) as {
        subOrders: { id: string; supplierId: string; status: string }[];
      },
    orderId,
  );
  const pkg = order.subOrders[0];
  assert.ok(pkg, "the order has a package");
  const supplier = await supplierSession(pkg.supplierId.replace(/^sup_demo_/, ""));
  const trackingNumber = `SF${Date.now()}`;
  const shipped = await supplier.post(`/api/supplier/sub-orders/${pkg.id}/shipments`, {
    carrierCode: "SF",
    trackingNumber,
  });
  assert.equal(shipped.status, 201, await shipped.clone().text());
  const { shipmentId } = (await shipped.json()) as { shipmentId: string };
  const tracked = await supplier.post(`/api/supplier/shipments/${shipmentId}/tracking`, {
    events: [{ at: new Date().toISOString(), description: "快件已由顺丰揽收", location: "杭州" }],
  });
  assert.equal(tracked.status, 200, await tracked.clone().text());
  await page.goto(`${shop}${orderUrl.pathname}`);
  const parcels = (await page.locator(".shipments").textContent()) ?? "";
  assert.match(parcels, new RegExp(trackingNumber));
  assert.match(parcels, /顺丰/);
  assert.match(parcels, /快件已由顺丰揽收/);
  await context.close();
});

/** A demo supplier signed in on the platform host (password from the seed), calling its API like an integration. */
async function supplierSession(name: string) {
  const res = await fetch(`${server.origin()}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `${name}@demo.local`, password: "demo-password-2026" }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
  const csrf = cookies.find((c) => c.startsWith("ec_csrf="))?.slice("ec_csrf=".length) ?? "";
  return {
    post: (path: string, body: unknown) =>
      fetch(`${server.origin()}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: cookies.join("; "),
          "x-csrf-token": csrf,
          "idempotency-key": crypto.randomUUID(),
        },
        body: JSON.stringify(body),
      }),
  };
}
