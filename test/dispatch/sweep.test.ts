import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dispatchMissing } from "../../worker/modules/dispatch/sweep";
import { dispatchOf, dispatchWorld, paidFor } from "../support/dispatch";

describe("no paid package is left without a dispatch", () => {
  it("the cron dispatches a paid sub-order whose dispatch was lost, and only after a grace period", async () => {
    const world = await dispatchWorld();
    const order = await paidFor(world);
    const sub = order.subOrders[0];
    if (!sub) throw new Error("no sub-order");
    await expect.poll(() => dispatchOf(sub.id), { timeout: 5_000 }).not.toBeNull();
    // Lose the dispatch, as if the event had never been handled.
    await env.DB.prepare("DELETE FROM dispatches WHERE sub_order_id = ?").bind(sub.id).run();
    const paidAt = Date.now();
    await dispatchMissing(env, paidAt);
    expect(await dispatchOf(sub.id)).toBeNull();
    await dispatchMissing(env, paidAt + 3 * 60_000);
    expect(await dispatchOf(sub.id)).toMatchObject({ status: "pending", subOrderId: sub.id });
    // Running again finds nothing more to do.
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM dispatches WHERE sub_order_id = ?")
      .bind(sub.id)
      .first<{ n: number }>();
    await dispatchMissing(env, paidAt + 4 * 60_000);
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM dispatches WHERE sub_order_id = ?")
      .bind(sub.id)
      .first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});
