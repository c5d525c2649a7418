import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO_ENDPOINT, demoEndpointStatements } from "../../worker/seed/dispatch";

async function run(nowMs: number, origin?: string): Promise<void> {
  const statements = demoEndpointStatements(nowMs, origin);
  await env.DB.batch(statements.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)));
}

describe("demo supplier endpoint seed", () => {
  it("points sup_demo_home at the local demo endpoint once, and leaves a URL changed since alone", async () => {
    await run(1);
    await run(2);
    const rows = await env.DB.prepare(
      "SELECT supplier_id, url, secret, status, created_at_ms FROM supplier_endpoints",
    ).all();
    expect(rows.results).toEqual([
      {
        supplier_id: "sup_demo_home",
        url: "http://localhost:8787/api/dev/demo-supplier/webhook",
        secret: DEMO_ENDPOINT.secret,
        status: "active",
        created_at_ms: 1,
      },
    ]);
    await env.DB.prepare("UPDATE supplier_endpoints SET url = 'https://erp.example.com/x'").run();
    await run(3, "http://localhost:8790");
    const url = await env.DB.prepare("SELECT url FROM supplier_endpoints").first<{ url: string }>();
    expect(url?.url).toBe("https://erp.example.com/x");
  });

  it("uses a well-formed Standard Webhooks secret (whsec_ + 32 bytes)", () => {
    expect(atob(DEMO_ENDPOINT.secret.slice("whsec_".length))).toHaveLength(32);
  });
});
