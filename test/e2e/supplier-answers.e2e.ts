/**
 * The demo supplier 柔肌日化 (sup_demo_beauty) answers its packages in the console, in real headless Chromium against
 * the built Worker with the demo data. A shopper's paid order is made through the shop API; then on the package page
 * the supplier presses 接单 (retried after a network error with the same Idempotency-Key), has a tracking number of
 * the wrong carrier refused, ships with 顺丰 in two parcels (the quantity defaults to what is left), adds a tracking
 * event and marks both parcels 已签收, and the shopper's order page shows the parcels. Another package is declined
 * (无法发货, after the confirm step) and refunded, and the shop owner switches on 允许平台改派.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type RunningServer, startServer } from "./server.ts";

let server: RunningServer;
let browser: Browser;
let shopper: BrowserContext;
let shopPage: Page;
let supplier: Page;

const PHONE = "13800138000";
const SUPPLIER_ID = "sup_demo_beauty";

interface Reply<T> {
  status: number;
  body: T;
}

interface PaidOrder {
  id: string;
  subOrders: { id: string; number: string; supplierId: string; status: string }[];
}

/** A call from the shop's page: the browser resolves *.localhost and holds the shopper's cookies, Node does not. */
async function shopCall<T>(method: "GET" | "POST", path: string, body?: unknown, key?: string): Promise<Reply<T>> {
  const csrf = (await shopper.cookies(server.origin("demo.localhost"))).find((c) => c.name === "ec_csrf")?.value;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (csrf) headers["x-csrf-token"] = csrf;
  if (key) headers["idempotency-key"] = key;
  return shopPage.evaluate(
    async ([method, path, body, headers]) => {
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    [method, path, body, headers] as const,
  ) as Promise<Reply<T>>;
}

async function signInShopper(): Promise<void> {
  await shopPage.goto(`${server.origin("demo.localhost")}/?lang=zh-CN`);
  const sent = await shopCall("POST", "/api/shop/auth/code", { phone: PHONE });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  let code: string | undefined;
  for (let i = 0; i < 40 && !code; i++) {
    const outbox = (await (await fetch(`${server.origin()}/api/dev/outbox`)).json()) as {
      items: { recipient: string; body: string }[];
    };
    code = /验证码 (\d{6})/.exec(outbox.items.find((m) => m.recipient === PHONE)?.body ?? "")?.[1];
    if (!code) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(code, "the code reached the dev outbox");
  const verified = await shopCall("POST", "/api/shop/auth/verify", { phone: PHONE, code });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
}

/** A 面膜 of the demo shop (all of them are 柔肌日化's): the first variant the product page offers. */
async function maskSku(): Promise<string> {
  const shop = server.origin("demo.localhost");
  await shopPage.goto(`${shop}/search?q=${encodeURIComponent("面膜")}`);
  const href = await shopPage.locator(".product-card-link").first().getAttribute("href");
  assert.ok(href, "the search found a product");
  await shopPage.goto(`${shop}${href}`);
  const groups = shopPage.locator("[data-picker-options] fieldset");
  for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).locator("label").first().click();
  const skuId = await shopPage.locator("[data-variant-picker]").getAttribute("data-selected-sku");
  assert.ok(skuId, "a variant is selected");
  return skuId;
}

/** Checkout (with an Idempotency-Key), devpay's 支付, and the shop's sync: the order comes back paid. */
async function paidOrder(
  skuId: string,
  quantity: number,
): Promise<{ orderId: string; pkg: PaidOrder["subOrders"][0] }> {
  const address = await shopCall<{ id: string }>("POST", "/api/shop/addresses", {
    recipientName: "张三",
    phone: PHONE,
    province: "浙江省",
    city: "杭州市",
    district: "西湖区",
    detail: "文三路 100 号 2 幢 301 室",
  });
  assert.equal(address.status, 201, JSON.stringify(address.body));
  const items = [{ skuId, quantity }];
  const order = await shopCall<PaidOrder>(
    "POST",
    "/api/shop/checkout",
    { addressId: address.body.id, items },
    crypto.randomUUID(),
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const pay = await shopCall<{ prepayId: string }>("POST", `/api/shop/orders/${order.body.id}/pay`);
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  const paid = await fetch(`${server.origin()}/api/devpay/prepays/${pay.body.prepayId}/pay`, { method: "POST" });
  assert.equal(paid.status, 200, await paid.text());
  const synced = await shopCall<PaidOrder & { status: string }>(
    "POST",
    `/api/shop/orders/${order.body.id}/sync-payment`,
  );
  assert.equal(synced.body.status, "paid", JSON.stringify(synced.body));
  const pkg = synced.body.subOrders[0];
  assert.ok(pkg, "the order has a package");
  assert.equal(pkg.supplierId, SUPPLIER_ID);
  assert.equal(pkg.status, "paid");
  return { orderId: order.body.id, pkg };
}

async function signInConsole(page: Page, email: string, next: string): Promise<void> {
  await page.goto(`${server.origin()}/sign-in?next=${encodeURIComponent(next)}&lang=zh-CN`);
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/密码|Password/).fill("demo-password-2026");
  await Promise.all([
    page.waitForURL(`${server.origin()}${next}`),
    page.locator("form#sign-in button[type=submit]").click(),
  ]);
}

/** Opens the package from the 订单发货 list, as a supplier would. */
async function openPackage(number: string): Promise<void> {
  await supplier.goto(`${server.origin()}/supplier/orders`);
  await Promise.all([
    supplier.waitForURL(/\/supplier\/orders\/sub_/),
    supplier.getByRole("link", { name: number, exact: true }).click(),
  ]);
}

const badge = () => supplier.locator("h1 .order-badge");
const facts = async () => (await supplier.locator(".order-facts").textContent()) ?? "";

/** Submits and waits for the reload the success triggers (the page then renders the new state). */
async function submitAndReload(button: ReturnType<Page["locator"]>): Promise<void> {
  await Promise.all([supplier.waitForEvent("load"), button.click()]);
}

before(async () => {
  server = await startServer(8795);
  browser = await launchBrowser();
  shopper = await browser.newContext();
  shopPage = await shopper.newPage();
  await signInShopper();
  supplier = await browser.newPage();
  await signInConsole(supplier, "beauty@demo.local", "/supplier/orders");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the supplier accepts, ships in two 顺丰 parcels, adds tracking and confirms delivery; the shopper sees it", async () => {
  const { orderId, pkg } = await paidOrder(await maskSku(), 2);
  await openPackage(pkg.number);
  assert.match((await badge().textContent()) ?? "", /待发货/);

  // The first 接单 never reaches the server; the retry carries the same Idempotency-Key.
  const acceptKeys: string[] = [];
  await supplier.route("**/api/supplier/sub-orders/*/accept", async (route) => {
    acceptKeys.push(route.request().headers()["idempotency-key"] ?? "");
    if (acceptKeys.length === 1) await route.abort("internetdisconnected");
    else await route.continue();
  });
  await supplier.getByRole("button", { name: "接单", exact: true }).click();
  await supplier.locator("#accept-form [data-status]").filter({ hasText: "网络连接失败" }).waitFor();
  await submitAndReload(supplier.getByRole("button", { name: "接单", exact: true }));
  await supplier.unroute("**/api/supplier/sub-orders/*/accept");
  assert.equal(acceptKeys.length, 2);
  assert.match(acceptKeys[0] ?? "", /^[0-9a-f-]{36}$/);
  assert.equal(acceptKeys[1], acceptKeys[0], "a retry after a network error reuses the key");
  assert.match((await badge().textContent()) ?? "", /已派单/);
  assert.match(await facts(), /接单时间/);
  assert.equal(await supplier.getByRole("button", { name: "接单", exact: true }).count(), 0);

  const ship = supplier.locator("#ship-form");
  assert.match((await ship.locator("#carrier option:checked").textContent()) ?? "", /顺丰速运/);
  const quantity = ship.locator("input[data-line-id]");
  assert.equal(await quantity.inputValue(), "2", "the quantity defaults to everything left to ship");

  const shipKeys: string[] = [];
  await supplier.route("**/api/supplier/sub-orders/*/shipments", async (route) => {
    shipKeys.push(route.request().headers()["idempotency-key"] ?? "");
    await route.continue();
  });
  // A number of another carrier is refused in words, and nothing ships.
  await ship.locator("#tracking-number").fill("YT7000000000000");
  await ship.getByRole("button", { name: "确认发货" }).click();
  await ship.locator("[data-status]").filter({ hasText: "快递单号与所选的快递公司对不上" }).waitFor();

  const first = `SF${String(Date.now()).slice(-13)}`;
  await ship.locator("#tracking-number").fill(first);
  await quantity.fill("1");
  await submitAndReload(ship.getByRole("button", { name: "确认发货" }));
  assert.match((await supplier.locator(".shipments").textContent()) ?? "", new RegExp(first));
  await supplier.unroute("**/api/supplier/sub-orders/*/shipments");
  assert.equal(shipKeys.length, 2);
  assert.notEqual(shipKeys[1], shipKeys[0], "a new submission after an answered one gets a fresh key");
  assert.match((await badge().textContent()) ?? "", /已派单/, "a partial parcel leaves the package open");
  assert.equal(await supplier.locator("#ship-form input[data-line-id]").inputValue(), "1", "one unit is left");
  const deliveredEarly = supplier.getByRole("button", { name: "已签收" });
  assert.equal(await deliveredEarly.isDisabled(), true, "delivery waits until everything has shipped");
  assert.match((await supplier.locator("#parcels-title + .parcel-answers").textContent()) ?? "", /全部发出后/);

  const second = `SF${String(Date.now() + 1).slice(-13)}`;
  await supplier.locator("#tracking-number").fill(second);
  await submitAndReload(supplier.getByRole("button", { name: "确认发货" }));
  assert.match((await badge().textContent()) ?? "", /已发货/);
  assert.match(await facts(), /已发货/);
  assert.equal(await supplier.locator("#ship-form").count(), 0, "nothing is left to ship");
  assert.equal(await supplier.locator(".shipments .parcel").count(), 2);

  const parcel = supplier.locator(".parcel-answers").filter({ hasText: first });
  await parcel.getByLabel("轨迹内容").fill("快件已由顺丰揽收");
  await parcel.getByLabel("地点（选填）").fill("杭州");
  await submitAndReload(parcel.getByRole("button", { name: "添加轨迹" }));
  const tracking = (await supplier.locator(".shipments").textContent()) ?? "";
  assert.match(tracking, /快件已由顺丰揽收/);
  assert.match(tracking, /杭州/);

  await submitAndReload(
    supplier.locator(".parcel-answers").filter({ hasText: first }).getByRole("button", { name: "已签收" }),
  );
  assert.match((await supplier.locator(".parcel-answers").filter({ hasText: first }).textContent()) ?? "", /已签收/);
  assert.match((await badge().textContent()) ?? "", /已发货/, "one parcel is still on its way");
  await submitAndReload(
    supplier.locator(".parcel-answers").filter({ hasText: second }).getByRole("button", { name: "已签收" }),
  );
  assert.match((await badge().textContent()) ?? "", /已签收/);
  assert.equal(await supplier.getByRole("button", { name: "已签收" }).count(), 0);
  const timeline = (await supplier.locator(".timeline").textContent()) ?? "";
  assert.match(timeline, /供应商接单[\s\S]*包裹发出[\s\S]*包裹签收/);

  await shopPage.goto(`${server.origin("demo.localhost")}/account/orders/${orderId}`);
  const parcels = (await shopPage.locator(".shipments").textContent()) ?? "";
  assert.match(parcels, new RegExp(first));
  assert.match(parcels, new RegExp(second));
  assert.match(parcels, /顺丰/);
  assert.match(parcels, /快件已由顺丰揽收/);
  assert.match((await shopPage.locator(".timeline").textContent()) ?? "", /包裹已发出/);
});

test("无法发货 asks first, then refunds the shopper when the shop does not re-route", async () => {
  const { pkg } = await paidOrder(await maskSku(), 1);
  await openPackage(pkg.number);
  const reject = supplier.locator("#reject-form");
  await reject.getByLabel("原因").selectOption("out_of_stock");
  await reject.getByLabel("补充说明（选填）").fill("仓库盘点缺货");
  await reject.getByRole("button", { name: "无法发货…" }).click();
  assert.equal(
    await reject.getByRole("button", { name: "无法发货…" }).isHidden(),
    true,
    "the confirm step replaces it",
  );
  const warning = (await reject.locator("[data-confirm]").textContent()) ?? "";
  assert.match(warning, /通知商家/);
  assert.match(warning, /改派/);
  assert.match(warning, /退还给顾客/);
  await reject.getByRole("button", { name: "返回" }).click();
  assert.equal(await reject.locator("[data-confirm]").isHidden(), true, "返回 steps back without sending");
  await reject.getByRole("button", { name: "无法发货…" }).click();
  await submitAndReload(reject.getByRole("button", { name: "确认无法发货" }));
  assert.match((await badge().textContent()) ?? "", /已退款/);
  assert.match(await facts(), /无法发货/);
  assert.match((await supplier.locator("[data-answers]").first().textContent()) ?? "", /缺货/);
});

test("the shop owner switches on 允许平台改派 and 售后由供应商处理, and both stay on", async () => {
  const page = await browser.newPage();
  await signInConsole(page, "owner@demo.local", "/merchant/shop");
  const toggle = page.getByRole("switch", { name: "允许平台改派" });
  assert.equal(await toggle.isChecked(), false, "off until saved");
  assert.match((await page.locator("#allow-reroute-hint").textContent()) ?? "", /相同条码.*价格不变[\s\S]*退款/);
  await toggle.check();
  await page.locator("form:has(#allow-reroute) [data-status]").filter({ hasText: "已开启" }).waitFor();
  const refunds = page.getByRole("switch", { name: "售后由供应商处理" });
  assert.equal(await refunds.isChecked(), false, "the shop decides refunds until told otherwise");
  await refunds.check();
  await page.locator("form:has(#supplier-decides-refunds) [data-status]").filter({ hasText: "已开启" }).waitFor();
  await page.reload();
  assert.equal(await page.getByRole("switch", { name: "允许平台改派" }).isChecked(), true);
  assert.equal(await page.getByRole("switch", { name: "售后由供应商处理" }).isChecked(), true);
  await page.close();
});
