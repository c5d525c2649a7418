/**
 * Starts the built Worker exactly as `npm start` serves it, on its own port and with a throw-away database that is
 * migrated and seeded with the demo data, and stops it afterwards. Used by the browser tests (`npm run test:e2e`).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunningServer {
  port: number;
  origin: (host?: string) => string;
  stop: () => Promise<void>;
}

const quiet = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

export async function startServer(port = 8799): Promise<RunningServer> {
  const state = mkdtempSync(join(tmpdir(), "e2e-state-"));
  execFileSync("npx", ["astro", "build", "--root", "site"], { stdio: "ignore", env: quiet });
  execFileSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    stdio: "ignore",
    env: quiet,
  });
  execFileSync("node", ["worker/seed/run-local.ts"], { stdio: "ignore", env: { ...quiet, PERSIST_TO: state } });
  const child = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--local",
      "-c",
      "dist/server/wrangler.json",
      "--persist-to",
      state,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: quiet, detached: true },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    await waitForHealth(`http://127.0.0.1:${port}/api/health`, child, 60_000);
  } catch (error) {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    throw new Error(`${String(error)}\n${output.slice(-4000)}`);
  }
  return {
    port,
    origin: (host = "localhost") => `http://${host}:${port}`,
    stop: async () => {
      // The npx wrapper, wrangler and workerd share one process group: end them together.
      if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 300));
      rmSync(state, { recursive: true, force: true });
    },
  };
}
