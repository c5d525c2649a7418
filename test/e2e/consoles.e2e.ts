/**
 * The order consoles render for the people who use them, on the built Worker with the demo data: the merchant's
 * orders (list, filters, detail with parcels), the supplier's packages and the platform's orders. Plain HTTP with a
 * signed-in session, no browser: these pages are server-rendered.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type RunningServer, startServer } from "./server.ts";

let server: RunningServer;

before(async () => {
  server = await startServer(8788);
});

after(async () => {
  await server?.stop();
});

/** Cookies of a demo account signed in on the platform host (password from the seed). */
async function signIn(email: string): Promise<string> {
  const res = await fetch(`${server.origin()}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "demo-password-2026" }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .join("; ");
}

async function page(path: string, cookie: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${server.origin()}${path}`, { headers: { cookie }, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

test("a shop owner sees the shop's orders, filters them and opens one with its parcels", async () => {
  const cookie = await signIn("owner@demo.local");
  const list = await page("/merchant/orders", cookie);
  assert.equal(list.status, 200);
  const numbers = [...list.html.matchAll(/href="\/merchant\/orders\/(ord_[^"]+)">(\d{13})</g)];
  assert.ok(numbers.length >= 10, "the demo shop's order history is listed");
  assert.match(list.html, /orders\.csv/);
  const cancelled = await page("/merchant/orders?status=cancelled", cookie);
  assert.equal(cancelled.status, 200);
  assert.match(cancelled.html, /已取消/);
  const bad = await page("/merchant/orders?from=2026-13-40", cookie);
  assert.equal(bad.status, 200, "a filter that does not parse is said on the page, not a 500");
  const [, id, number] = numbers[0] ?? [];
  const detail = await page(`/merchant/orders/${id}`, cookie);
  assert.equal(detail.status, 200);
  assert.match(detail.html, new RegExp(number ?? "missing"));
  assert.match(detail.html, /物流信息/);
  const other = await page("/merchant/orders/ord_doesnotexist", cookie);
  assert.equal(other.status, 404);
});

test("a supplier sees its paid packages at supply price and opens one; the platform sees every order", async () => {
  const supplier = await signIn("home@demo.local");
  const packages = await page("/supplier/orders", supplier);
  assert.equal(packages.status, 200);
  const ids = [...packages.html.matchAll(/href="\/supplier\/orders\/(sub_[^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids.length >= 1, "the demo supplier has packages");
  const one = await page(`/supplier/orders/${ids[0]}`, supplier);
  assert.equal(one.status, 200);
  const admin = await signIn("admin@demo.local");
  const all = await page("/platform/orders", admin);
  assert.equal(all.status, 200);
  assert.match(all.html, /演示小店/);
  assert.match(all.html, /萌宝母婴馆/);
  const forbidden = await page("/platform/orders", supplier);
  assert.equal(forbidden.status, 403);
});
