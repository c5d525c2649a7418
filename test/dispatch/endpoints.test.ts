import { env } from "cloudflare:workers";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { AppError } from "../../worker/errors";
import { deliverOnce } from "../../worker/modules/dispatch/delivery";
import { saveEndpoint } from "../../worker/modules/dispatch/endpoints";
import { dispatchById } from "../../worker/modules/dispatch/repository";
import { newWebhookSecret } from "../../worker/modules/dispatch/signature";
import {
  type DispatchWorld,
  dispatchOf,
  dispatchWorld,
  paidFor,
  received,
  SUPPLIER_HOST,
  supplierCall,
} from "../support/dispatch";
import { expectCode, issuePaths } from "../support/problems";

interface EndpointBody {
  url: string;
  status: string;
  secretHint: string;
  rotatingUntilMs: number | null;
  secret?: string;
}

async function putUrl(world: DispatchWorld, url: string): Promise<EndpointBody> {
  const res = await supplierCall(world, "/webhook", "PUT", { url });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<EndpointBody>();
}

function okUrl(world: DispatchWorld): string {
  return `${SUPPLIER_HOST}/ok?key=${world.key}`;
}

async function firstDispatchOf(world: DispatchWorld): Promise<{ id: string; subOrderId: string }> {
  const order = await paidFor(world);
  const subOrderId = order.subOrders[0]?.id;
  if (!subOrderId) throw new Error("no sub-order");
  await expect.poll(() => dispatchOf(subOrderId), { timeout: 5_000 }).not.toBeNull();
  const row = await dispatchOf(subOrderId);
  if (!row) throw new Error("no dispatch");
  return { id: row.id, subOrderId };
}

describe("setting the webhook URL", () => {
  it("the first save returns a whsec_ secret once; reading the endpoint never shows it whole", async () => {
    const world = await dispatchWorld();
    const saved = await putUrl(world, okUrl(world));
    expect(saved.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(saved).toMatchObject({ url: okUrl(world), status: "active", rotatingUntilMs: null });
    const secret = saved.secret ?? "";

    const read = await supplierCall(world, "/webhook");
    const text = await read.text();
    expect(read.status).toBe(200);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(6));
    const view = JSON.parse(text) as EndpointBody;
    expect(view.secret).toBeUndefined();
    expect(secret.startsWith(view.secretHint.replace("…", ""))).toBe(true);
  });

  it("changing the URL keeps the secret (so the supplier's verifier keeps working) and does not show it again", async () => {
    const world = await dispatchWorld();
    const first = await putUrl(world, okUrl(world));
    const second = await putUrl(world, `${SUPPLIER_HOST}/ok?key=${world.key}&v=2`);
    expect(second.secret).toBeUndefined();
    expect(second.url).toContain("v=2");
    const row = await env.DB.prepare("SELECT secret FROM supplier_endpoints WHERE supplier_id = ?")
      .bind(world.supplier.supplierId)
      .first<{ secret: string }>();
    expect(row?.secret).toBe(first.secret);
  });

  it("before any URL is set the endpoint reads as null (dispatches are pulled)", async () => {
    const world = await dispatchWorld();
    const res = await supplierCall(world, "/webhook");
    expect(res.status).toBe(200);
    expect(await res.json()).toBeNull();
  });

  it("a plain http URL is refused; http://localhost is allowed only in development", async () => {
    const world = await dispatchWorld();
    const refused = await expectCode(
      await supplierCall(world, "/webhook", "PUT", { url: "http://erp.example.com/hooks" }),
      400,
      "validation_failed",
    );
    expect(issuePaths(refused)).toEqual(["url"]);
    expect(refused.issues?.[0]?.code).toBe("https_required");
    await expectCode(
      await supplierCall(world, "/webhook", "PUT", { url: "ftp://erp.example.com" }),
      400,
      "validation_failed",
    );

    expect(env.APP_ENV).toBe("development");
    expect((await putUrl(world, "http://localhost:8787/api/dev/demo-supplier/webhook")).status).toBe("active");
    const production = { ...env, APP_ENV: "production" };
    await expect(saveEndpoint(production, world.supplier.supplierId, "http://localhost:9000/hook")).rejects.toThrow(
      AppError,
    );
    await expect(saveEndpoint(production, world.supplier.supplierId, "http://127.0.0.1/hook")).rejects.toThrow(
      AppError,
    );
  });

  it("an unknown member in the body is a 400, not silently ignored", async () => {
    const world = await dispatchWorld();
    await expectCode(
      await supplierCall(world, "/webhook", "PUT", { url: okUrl(world), secret: "whsec_mine" }),
      400,
      "validation_failed",
    );
  });
});

describe("rotating the secret", () => {
  it("the next delivery carries both signatures, and each secret verifies it with the standardwebhooks library", async () => {
    const world = await dispatchWorld();
    const oldSecret = (await putUrl(world, okUrl(world))).secret ?? "";
    const rotate = await supplierCall(world, "/webhook/rotate", "POST");
    expect(rotate.status, await rotate.clone().text()).toBe(200);
    const rotated = await rotate.json<EndpointBody>();
    const newSecret = rotated.secret ?? "";
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const hours = ((rotated.rotatingUntilMs ?? 0) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);

    await paidFor(world);
    await expect.poll(async () => (await received(world)).length, { timeout: 10_000 }).toBe(1);
    const [delivery] = await received(world);
    if (!delivery) throw new Error("nothing received");
    expect(delivery.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    const viaNew = new Webhook(newSecret).verify(delivery.body, delivery.headers) as { type: string };
    const viaOld = new Webhook(oldSecret).verify(delivery.body, delivery.headers) as { type: string };
    expect(viaNew.type).toBe("order.dispatch.v1");
    expect(viaOld).toEqual(viaNew);
    expect(() => new Webhook(newWebhookSecret()).verify(delivery.body, delivery.headers)).toThrow(
      WebhookVerificationError,
    );
  });

  it("once the 24-hour overlap is over only the new secret signs", async () => {
    const world = await dispatchWorld();
    const { id } = await firstDispatchOf(world);
    await putUrl(world, okUrl(world));
    await supplierCall(world, "/webhook/rotate", "POST");
    const row = await dispatchById(env.DB, id);
    if (!row) throw new Error("no dispatch");
    await deliverOnce(env, row, "manual", Date.now() + 25 * 3_600_000);
    const [delivery] = await received(world);
    expect(delivery?.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
  });

  it("rotating without an endpoint is a 404", async () => {
    const world = await dispatchWorld();
    await expectCode(await supplierCall(world, "/webhook/rotate", "POST"), 404, "not_found");
  });
});

describe("removing the endpoint", () => {
  it("new dispatches then wait in the pull API and nothing is POSTed", async () => {
    const world = await dispatchWorld();
    await putUrl(world, okUrl(world));
    const removed = await supplierCall(world, "/webhook", "DELETE");
    expect(removed.status).toBe(204);
    expect(await (await supplierCall(world, "/webhook")).json()).toBeNull();

    const { id } = await firstDispatchOf(world);
    const list = await supplierCall(world, "/dispatches?status=pending");
    const page = await list.json<{ items: { id: string; attempts: number }[] }>();
    expect(page.items).toEqual([expect.objectContaining({ id, attempts: 0 })]);
    // Give a wrongly queued message time to arrive before asserting that none did.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await received(world)).toEqual([]);
  });

  it("removing twice is fine (204 both times)", async () => {
    const world = await dispatchWorld();
    expect((await supplierCall(world, "/webhook", "DELETE")).status).toBe(204);
    expect((await supplierCall(world, "/webhook", "DELETE")).status).toBe(204);
  });

  it("setting a URL again after a 410 disabled the endpoint turns it back on", async () => {
    const world = await dispatchWorld();
    await putUrl(world, okUrl(world));
    await env.DB.prepare(
      "UPDATE supplier_endpoints SET status = 'disabled', disabled_reason = '410 Gone' WHERE supplier_id = ?",
    )
      .bind(world.supplier.supplierId)
      .run();
    const disabled = await (await supplierCall(world, "/webhook")).json<EndpointBody & { disabledReason: string }>();
    expect(disabled).toMatchObject({ status: "disabled", disabledReason: "410 Gone" });
    expect(await putUrl(world, okUrl(world))).toMatchObject({ status: "active", disabledReason: null });
  });
});
