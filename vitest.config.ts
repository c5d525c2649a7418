import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      // The API-only entry: the Astro entry's virtual modules do not resolve inside tests.
      main: "./worker/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      remoteBindings: false,
      miniflare: {
        // A short webhook timeout keeps the "endpoint hangs" tests fast; production uses wrangler.toml's 10 s.
        bindings: { TEST_MIGRATIONS: await readD1Migrations("./migrations"), DISPATCH_TIMEOUT_MS: "300" },
        // Outbound HTTP (supplier webhooks) reaches a real Worker standing in for suppliers' servers.
        outboundService: "supplier-endpoint",
        workers: [
          {
            name: "supplier-endpoint",
            modules: true,
            scriptPath: "./test/aux/supplier-endpoint.js",
            compatibilityDate: "2026-11-17",
          },
        ],
      },
    }),
  ],
  test: {
    setupFiles: ["./test/setup.ts"],
    include: ["test/**/*.test.ts"],
    // The Worker logs one JSON line per request; keep warnings and errors, drop the info lines.
    onConsoleLog: (log: string) => !log.includes('"level":"info"'),
  },
}));
