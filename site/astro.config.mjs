// @ts-check
import cloudflare from "@astrojs/cloudflare";
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "server",
  outDir: "../dist",
  adapter: cloudflare({
    // No Cloudflare Images binding: product images are served from R2 renditions we make ourselves.
    imageService: "passthrough",
    configPath: "../wrangler.toml",
    persistState: { path: "../.wrangler/state" },
  }),
  server: { host: "127.0.0.1", port: 8787 },
  devToolbar: { enabled: false },
  // We keep our own sessions in D1; Astro's would need a KV namespace in production.
  session: false,
});
