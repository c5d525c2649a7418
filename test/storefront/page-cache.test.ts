import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { cachedPage, type PageCacheContext } from "../../worker/modules/storefront/page-cache";
import { insertMerchant, putShopSettings } from "../support/storefront";

const SLUG = "cachedshop";
let merchantId: string;
let cache: Cache;
let pending: Promise<unknown>[];
let renders: number;

function context(lang = "zh-CN"): PageCacheContext {
  return { d1: env.DB, rootDomain: "localhost", lang, cache, waitUntil: (p) => pending.push(p) };
}

function page(body = "<h1>店</h1>", init: ResponseInit = {}) {
  return async () => {
    renders += 1;
    return new Response(body, { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, ...init });
  };
}

async function get(path: string, options: { host?: string; cookie?: string; lang?: string; method?: string } = {}) {
  const headers: Record<string, string> = { host: options.host ?? `${SLUG}.localhost` };
  if (options.cookie) headers.cookie = options.cookie;
  const request = new Request(`http://${headers.host}${path}`, { method: options.method ?? "GET", headers });
  const response = await cachedPage(request, context(options.lang), page());
  await Promise.all(pending.splice(0));
  return response;
}

beforeEach(async () => {
  merchantId ??= await insertMerchant("缓存小店", SLUG);
  await putShopSettings(merchantId, [], 1);
  cache = await caches.open(`pages-${crypto.randomUUID()}`);
  pending = [];
  renders = 0;
});

describe("storefront page cache", () => {
  it("renders once, then answers from the cache with x-cache: hit and a short s-maxage", async () => {
    const first = await get("/products/prd_1?x=1");
    expect(first.headers.get("x-cache")).toBe("miss");
    expect(first.headers.get("cache-control")).toMatch(/s-maxage=60/);
    expect(await first.text()).toBe("<h1>店</h1>");
    const second = await get("/products/prd_1?x=1");
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(await second.text()).toBe("<h1>店</h1>");
    expect(renders).toBe(1);
    expect((await get("/products/prd_1?x=2")).headers.get("x-cache")).toBe("miss");
  });

  it("keeps each language apart", async () => {
    await get("/");
    expect((await get("/", { lang: "en" })).headers.get("x-cache")).toBe("miss");
    expect((await get("/", { lang: "en" })).headers.get("x-cache")).toBe("hit");
    expect(renders).toBe(2);
  });

  it("a catalog_version bump purges every page of the shop", async () => {
    await get("/");
    await putShopSettings(merchantId, [], 2);
    expect((await get("/")).headers.get("x-cache")).toBe("miss");
    expect(renders).toBe(2);
  });

  it("a change to the merchant's name or theme colour purges too", async () => {
    await get("/");
    await env.DB.prepare("UPDATE merchants SET name = '新名字' WHERE id = ?").bind(merchantId).run();
    expect((await get("/")).headers.get("x-cache")).toBe("miss");
    await env.DB.prepare("UPDATE merchants SET theme_color = '#123456' WHERE id = ?").bind(merchantId).run();
    expect((await get("/")).headers.get("x-cache")).toBe("miss");
    expect((await get("/")).headers.get("x-cache")).toBe("hit");
  });

  it("never serves or stores pages for signed-in callers, writes, account and cart pages, the root host or unknown shops", async () => {
    await get("/");
    for (const response of [
      await get("/", { cookie: "lang=en; ec_session=abc" }),
      await get("/", { method: "POST" }),
      await get("/account"),
      await get("/account/sign-in"),
      await get("/cart", { cookie: "ec_guest=gst_x.y" }),
      await get("/_astro/app.css"),
      await get("/", { host: "localhost" }),
      await get("/", { host: "nobody.localhost" }),
    ]) {
      expect(response.headers.get("x-cache")).toBe("bypass");
    }
    expect(renders).toBe(9);
  });

  it("stores only 200 HTML without cookies", async () => {
    const request = () =>
      new Request(`http://${SLUG}.localhost/products/nope`, { headers: { host: `${SLUG}.localhost` } });
    const notFound = page("nope", { status: 404 });
    for (let i = 0; i < 2; i++) {
      const response = await cachedPage(request(), context(), notFound);
      expect(response.headers.get("x-cache")).toBe("bypass");
    }
    const withCookie = page("x", { headers: { "content-type": "text/html", "set-cookie": "a=b" } });
    await cachedPage(request(), context(), withCookie);
    const xml = page("<urlset/>", { headers: { "content-type": "application/xml" } });
    await cachedPage(request(), context(), xml);
    await Promise.all(pending.splice(0));
    expect((await cachedPage(request(), context(), page())).headers.get("x-cache")).toBe("miss");
    expect(renders).toBe(5);
  });
});
