import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { call, platformAdmin } from "../helpers";

// The demo data uses readable ids with underscores (sup_demo_fresh, sku_fr_0001_01); the API must accept them.
it("an admin can review a supplier whose id has underscores, as the demo suppliers do", async () => {
  await env.DB.prepare(
    "INSERT INTO suppliers (id, name, contact_name, contact_phone, status, created_at_ms) VALUES (?, ?, ?, ?, 'pending', ?)",
  )
    .bind("sup_demo_underscore", "下划线供应链", "联系人", "13900139000", Date.now())
    .run();
  const res = await call("/api/platform/suppliers/sup_demo_underscore/approve", {
    method: "POST",
    session: await platformAdmin(),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  expect((await res.json<{ status: string }>()).status).toBe("approved");
});
