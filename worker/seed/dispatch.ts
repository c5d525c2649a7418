/**
 * @module seed/dispatch: where the demo suppliers receive their orders locally. 家居优选工厂 (sup_demo_home) posts to
 * the demo supplier endpoint `npm start` serves (worker/modules/dev/demo-supplier.ts), which accepts and ships by
 * itself; the other demo suppliers have no endpoint and pull. INSERT OR IGNORE: a URL changed in the console survives
 * a re-seed.
 */
import type { SeedStatement } from "./demo.ts";

export const DEMO_ENDPOINT = {
  supplierId: "sup_demo_home",
  /** `npm start` serves on :8787; a server on another port (the e2e harness) passes its own origin. */
  origin: "http://localhost:8787",
  path: "/api/dev/demo-supplier/webhook",
  /** A fixed dev-only secret (base64 of "edge-commerce demo supplier key!"), so the README can show it. */
  secret: "whsec_ZWRnZS1jb21tZXJjZSBkZW1vIHN1cHBsaWVyIGtleSE=",
} as const;

export function demoEndpointStatements(nowMs: number, origin: string = DEMO_ENDPOINT.origin): SeedStatement[] {
  return [
    {
      sql: `INSERT OR IGNORE INTO supplier_endpoints (supplier_id, url, secret, status, created_at_ms, updated_at_ms)
            VALUES (?, ?, ?, 'active', ?, ?)`,
      params: [DEMO_ENDPOINT.supplierId, `${origin}${DEMO_ENDPOINT.path}`, DEMO_ENDPOINT.secret, nowMs, nowMs],
    },
  ];
}
