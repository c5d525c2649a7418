import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { approvedSupplier, call, type SupplierTenant } from "../helpers";
import { newBuyer, paidOrder, readOrder } from "../support/orders";
import { expectCode } from "../support/problems";
import { ask, decideCall, MASK_FEN, type RefundShop, type RefundView, refundShop } from "../support/refunds";
import { addStaff } from "../support/tenants";

async function requested(
  supplier: SupplierTenant,
): Promise<{ shop: RefundShop; refund: RefundView; orderId: string; buyer: Awaited<ReturnType<typeof newBuyer>> }> {
  const shop = await refundShop(supplier.supplierId);
  const buyer = await newBuyer(shop);
  const order = await paidOrder(buyer, 2);
  const sub = order.subOrders[0];
  const line = sub?.lines[0];
  if (!sub || !line) throw new Error("no package");
  const refund = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
  return { shop, refund, orderId: order.id, buyer };
}

function setPolicy(shop: RefundShop, decider: string) {
  return call("/api/merchant/refund-policy", { method: "PUT", session: shop.owner, body: { decider } });
}

function supplierDecides(supplier: SupplierTenant, refundId: string, decision: string, body?: unknown) {
  return call(`/api/supplier/refunds/${refundId}/${decision}`, { method: "POST", session: supplier, body });
}

describe("a shop can let the package's supplier decide after-sale requests", () => {
  it("by default the merchant decides and the supplier does not even see the request", async () => {
    const supplier = await approvedSupplier();
    const { shop, refund } = await requested(supplier);
    const policy = await call("/api/merchant/refund-policy", { session: shop.owner });
    expect(await policy.json()).toEqual({ decider: "merchant" });
    await expectCode(await supplierDecides(supplier, refund.id, "approve"), 404, "not_found");
    const list = await call("/api/supplier/refunds", { session: supplier });
    expect((await list.json<{ refunds: { id: string }[] }>()).refunds.map((r) => r.id)).not.toContain(refund.id);
  });

  it("under the supplier policy the supplier approves and the money goes back; the merchant may read but not decide", async () => {
    const supplier = await approvedSupplier();
    const { shop, refund, orderId, buyer } = await requested(supplier);
    expect((await setPolicy(shop, "supplier")).status).toBe(200);
    const list = await call("/api/supplier/refunds?status=requested", { session: supplier });
    expect((await list.json<{ refunds: { id: string }[] }>()).refunds.map((r) => r.id)).toContain(refund.id);
    await expectCode(await decideCall(shop.owner, refund.id, "approve"), 403, "forbidden");
    const res = await supplierDecides(supplier, refund.id, "approve", { note: "同意退款" });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json<RefundView>()).status).toBe("succeeded");
    const order = await readOrder(buyer, orderId);
    expect(order.refundedFen).toBe(MASK_FEN);
    expect(order.timeline.some((t) => t.actor === "supplier" && t.to === "refund_approved")).toBe(true);
    const merchantView = await call(`/api/merchant/refunds/${refund.id}`, { session: shop.owner });
    expect(merchantView.status).toBe(200);
  });

  it("the supplier's rejection reaches the shopper with its reason", async () => {
    const supplier = await approvedSupplier();
    const { shop, refund } = await requested(supplier);
    await setPolicy(shop, "supplier");
    await expectCode(await supplierDecides(supplier, refund.id, "reject", {}), 400, "validation_failed");
    const res = await supplierDecides(supplier, refund.id, "reject", { reason: "商品已使用，不符合退款条件" });
    expect((await res.json<RefundView>()).status).toBe("rejected");
    await expectCode(await supplierDecides(supplier, refund.id, "approve"), 409, "invalid_transition");
  });

  it("another supplier, a shopper and anonymous callers are refused; only the owner sets the policy", async () => {
    const supplier = await approvedSupplier();
    const { shop, refund, buyer } = await requested(supplier);
    await setPolicy(shop, "supplier");
    const stranger = await approvedSupplier();
    await expectCode(await supplierDecides(stranger, refund.id, "approve"), 404, "not_found");
    await expectCode(await call(`/api/supplier/refunds/${refund.id}`, { session: stranger }), 404, "not_found");
    await expectCode(
      await call(`/api/supplier/refunds/${refund.id}/approve`, {
        method: "POST",
        host: shop.host,
        session: buyer.session,
      }),
      403,
      "forbidden",
    );
    await expectCode(
      await call(`/api/supplier/refunds/${refund.id}/approve`, { method: "POST" }),
      401,
      "unauthenticated",
    );
    const staff = await addStaff(shop.owner, "merchant");
    await expectCode(
      await call("/api/merchant/refund-policy", { method: "PUT", session: staff, body: { decider: "merchant" } }),
      403,
      "forbidden",
    );
    await expectCode(await setPolicy(shop, "nobody"), 400, "validation_failed");
    const row = await env.DB.prepare("SELECT status FROM refunds WHERE id = ?")
      .bind(refund.id)
      .first<{ status: string }>();
    expect(row?.status).toBe("requested");
  });
});
