/**
 * Set-up of the checkout benchmark, none of it timed: which SKU the shoppers buy (read from the demo seed), the
 * supplier who owns it (sets its stock and reports it), and signed-in shoppers with an address each.
 */
import { z } from "zod";
import { demoCatalog } from "../worker/seed/catalog.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../worker/seed/demo.ts";
import { Client, expectStatus, json } from "./checkout-client.ts";

export interface Target {
  skuId: string;
  productId: string;
  supplierId: string;
  supplierEmail: string;
}

/** The first SKU the demo shop lists from 家居优选工厂 (home@demo.local), else from any supplier with an account. */
export function pickTarget(): Target {
  const catalog = demoCatalog(Date.now());
  const shop = catalog.shops.find((s) => s.slug === "demo");
  const candidates = (shop?.listings ?? []).flatMap((listing) => {
    const product = catalog.products.find((p) => p.id === listing.productId);
    const account = DEMO_ACCOUNTS.find((a) => a.org[0] === "supplier" && a.org[1] === product?.supplierId);
    const sku = listing.skus[0];
    if (!product || !account || !sku) return [];
    return [{ skuId: sku.skuId, productId: product.id, supplierId: product.supplierId, supplierEmail: account.email }];
  });
  const target = candidates.find((c) => c.supplierId === "sup_demo_home") ?? candidates[0];
  if (!target) throw new Error("the demo seed lists no SKU of a supplier with an account");
  return target;
}

const ProductSkus = z.object({ skus: z.array(z.object({ id: z.string(), stock: z.number().int() })) });

export class SupplierConsole {
  private readonly client: Client;
  private readonly target: Target;

  constructor(port: number, target: Target) {
    this.client = new Client(port, `localhost:${port}`, "10.250.0.1");
    this.target = target;
  }

  async signIn(): Promise<void> {
    const body = { email: this.target.supplierEmail, password: DEMO_PASSWORD };
    expectStatus(await this.client.send("POST", "/api/auth/sign-in", { body }), 200, "supplier sign-in");
  }

  async setStock(stock: number): Promise<void> {
    const res = await this.client.send("PATCH", `/api/supplier/skus/${this.target.skuId}`, { body: { stock } });
    expectStatus(res, 200, "set stock");
  }

  /** D1's figure, which the SKU's counter writes back after every confirmed sale. */
  async stock(): Promise<number> {
    const res = await this.client.send("GET", `/api/supplier/products/${this.target.productId}`);
    expectStatus(res, 200, "supplier product");
    const sku = ProductSkus.parse(json(res, "supplier product")).skus.find((s) => s.id === this.target.skuId);
    if (!sku) throw new Error(`product ${this.target.productId} has no SKU ${this.target.skuId}`);
    return sku.stock;
  }
}

const Outbox = z.object({ items: z.array(z.object({ recipient: z.string(), body: z.string() })) });
const Address = z.object({ id: z.string() });

export interface Shopper {
  index: number;
  phone: string;
  client: Client;
  addressId: string;
}

/** Distinct 11-digit mobile numbers; the state directory is new on every run, so the same ones can be reused. */
export function phoneOf(index: number): string {
  return `1370000${String(index).padStart(4, "0")}`;
}

/** Each shopper has its own client address: the Worker allows 30 codes per address per hour. */
function ipOf(index: number): string {
  return `10.200.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

async function codeFor(root: Client, phone: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const outbox = Outbox.parse(json(await root.send("GET", "/api/dev/outbox"), "dev outbox"));
    const code = /验证码 (\d{6})/.exec(outbox.items.find((m) => m.recipient === phone)?.body ?? "")?.[1];
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no sign-in code for ${phone} reached the dev outbox`);
}

export async function signInShopper(port: number, index: number): Promise<Shopper> {
  const phone = phoneOf(index);
  const client = new Client(port, `demo.localhost:${port}`, ipOf(index));
  const root = new Client(port, `localhost:${port}`, ipOf(index));
  expectStatus(await client.send("POST", "/api/shop/auth/code", { body: { phone } }), 202, "send code");
  const code = await codeFor(root, phone);
  expectStatus(await client.send("POST", "/api/shop/auth/verify", { body: { phone, code } }), 200, "verify code");
  const address = await client.send("POST", "/api/shop/addresses", {
    body: {
      recipientName: `压测${index}`,
      phone,
      province: "浙江省",
      city: "杭州市",
      district: "西湖区",
      detail: "文三路 90 号",
    },
  });
  expectStatus(address, 201, "create address");
  return { index, phone, client, addressId: Address.parse(json(address, "address")).id };
}

/**
 * Signs shoppers in a few at a time: the dev outbox lists only its 50 newest messages, so a code must be read
 * before many more are sent.
 */
export async function signInShoppers(port: number, count: number, parallel = 5): Promise<Shopper[]> {
  const shoppers: Shopper[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, i) => start + i);
    shoppers.push(...(await Promise.all(batch.map((index) => signInShopper(port, index)))));
  }
  return shoppers;
}
