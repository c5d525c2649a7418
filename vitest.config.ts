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
        bindings: { TEST_MIGRATIONS: await readD1Migrations("./migrations") },
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
