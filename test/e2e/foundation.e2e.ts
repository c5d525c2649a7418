/**
 * The foundation as a person meets it, in real headless Chromium against the built Worker: landing page, staff
 * sign-in into the merchant console, the demo storefront in both languages, shopper sign-in with a one-time code,
 * and the 404 page of a shop that does not exist.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type RunningServer, startServer } from "./server.ts";

let server: RunningServer;
let browser: Browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the landing page speaks Chinese first and links to opening a shop", async () => {
  const page = await browser.newPage();
  const res = await page.goto(server.origin());
  assert.equal(res?.status(), 200);
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.ok(await page.locator('a[href="/sign-up"]').count(), "a sign-up link is on the landing page");
  await page.close();
});

test("a merchant owner signs in and lands in the merchant console of 演示小店", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.origin()}/sign-in`);
  await page.getByLabel(/邮箱|Email/).fill("owner@demo.local");
  await page.getByLabel(/密码|Password/).fill("demo-password-2026");
  await Promise.all([page.waitForURL(/\/merchant$/), page.locator("form#sign-in button[type=submit]").click()]);
  const text = (await page.locator("main").textContent()) ?? "";
  assert.match(text, /演示小店/);
  assert.match(text, /owner@demo\.local/);
  await page.close();
});

test("the demo storefront shows the shop's name and switches to English", async () => {
  const page = await browser.newPage();
  const res = await page.goto(server.origin("demo.localhost"));
  assert.equal(res?.status(), 200);
  assert.match((await page.locator("header").textContent()) ?? "", /演示小店/);
  await page.goto(`${server.origin("demo.localhost")}/?lang=en`);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.close();
});

test("a shopper signs in on the demo shop with the code from the dev outbox", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.origin("demo.localhost")}/account/sign-in?lang=zh-CN`);
  await page.locator("#phone").fill("13800138000");
  await page.locator("#send-code").click();
  let code: string | undefined;
  for (let i = 0; i < 40 && !code; i++) {
    const outbox = await (await fetch(`${server.origin()}/api/dev/outbox`)).json();
    const items = (outbox as { items: { recipient: string; body: string }[] }).items;
    code = /验证码 (\d{6})/.exec(items.find((m) => m.recipient === "13800138000")?.body ?? "")?.[1];
    if (!code) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(code, "the code reached the dev outbox");
  await page.locator("#code").fill(code);
  await Promise.all([page.waitForURL(/\/account$/), page.locator("form#shop-sign-in button[type=submit]").click()]);
  assert.match((await page.locator("main").textContent()) ?? "", /138\*{4}8000/);
  await context.close();
});

test("a shop address that nobody owns answers 404 with a page that says so", async () => {
  const page = await browser.newPage();
  const res = await page.goto(server.origin("no-such-shop.localhost"));
  assert.equal(res?.status(), 404);
  assert.match((await page.locator("main").textContent()) ?? "", /店铺不存在|does not exist/);
  await page.close();
});
