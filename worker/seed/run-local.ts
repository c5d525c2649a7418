/**
 * Seeds the local D1 (`.wrangler/state`) with the demo tenants, their catalog and the demo shopper's order history.
 * Run by `npm start` and `npm run dev`; it refuses to touch a remote database. Node runs this TypeScript file directly
 * (type stripping), so every file it imports must use erasable syntax and `.ts` import paths.
 */
import { execFileSync } from "node:child_process";
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogSeedStatements, demoCatalog } from "./catalog.ts";
import { DEMO_ACCOUNTS, DEMO_MERCHANTS, DEMO_PASSWORD, demoSeedStatements, toSqlScript } from "./demo.ts";
import { DEMO_ENDPOINT, demoEndpointStatements } from "./dispatch.ts";
import { demoOrderStatements } from "./orders.ts";

/** Same format as worker/lib/crypto.ts `hashPassword`. */
async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, 100_000, 32, "sha256");
  return `pbkdf2-sha256$100000$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** The e2e harness seeds its own throw-away state directory. */
const persistTo = process.env.PERSIST_TO ?? ".wrangler/state";
/** Where the demo supplier endpoint is served: `npm start` uses :8787; a server on another port says so here. */
const demoOrigin = process.env.DEMO_SUPPLIER_ORIGIN ?? DEMO_ENDPOINT.origin;
const file = join(mkdtempSync(join(tmpdir(), "seed-")), "demo.sql");
const nowMs = Date.now();
const statements = [
  ...(await demoSeedStatements(hashPassword, nowMs)),
  ...catalogSeedStatements(nowMs),
  ...demoOrderStatements(demoCatalog(nowMs), nowMs),
  ...demoEndpointStatements(nowMs, demoOrigin),
];
writeFileSync(file, toSqlScript(statements));
execFileSync("npx", ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file], {
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
});
console.log("Demo data ready. Staff accounts (password %s):", DEMO_PASSWORD);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.org[0].padEnd(8)} ${account.email}`);
console.log("Shops:");
for (const m of DEMO_MERCHANTS) console.log(`  http://${m.slug}.localhost:8787/  ${m.name}`);
console.log(
  "Supplier %s receives its orders at %s%s (accepts and ships by itself).",
  DEMO_ENDPOINT.supplierId,
  demoOrigin,
  DEMO_ENDPOINT.path,
);
