/**
 * A small HTTP client for the checkout benchmark: one cookie jar per simulated person, the Host header chosen per
 * request (Node resolves no `*.localhost` names and fetch() drops Host), a client address per person (the Worker
 * rate-limits sign-in codes per `CF-Connecting-IP`), and the CSRF header echoed from the `ec_csrf` cookie.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** Kept-alive sockets without a cap: every shopper gets its own connection, as browsers would. */
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
const TIMEOUT_MS = 60_000;

export function closeClientConnections(): void {
  agent.destroy();
}

export class Client {
  private readonly jar = new Map<string, string>();
  private readonly port: number;
  private readonly host: string;
  private readonly ip: string;

  constructor(port: number, host: string, ip: string) {
    this.port = port;
    this.host = host;
    this.ip = ip;
  }

  get csrf(): string {
    return this.jar.get("ec_csrf") ?? "";
  }

  send(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; host?: string } = {},
  ): Promise<Answer> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      host: options.host ?? this.host,
      "cf-connecting-ip": this.ip,
      ...(payload === undefined ? {} : { "content-type": "application/json" }),
      ...(this.jar.size > 0 ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ") } : {}),
      ...(method !== "GET" && this.jar.has("ec_csrf") ? { "x-csrf-token": this.csrf } : {}),
      ...options.headers,
    };
    return new Promise<Answer>((resolve, reject) => {
      const started = performance.now();
      const req = request({ host: "127.0.0.1", port: this.port, method, path, agent, headers }, (res) => {
        this.remember(res.headers["set-cookie"] ?? []);
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer in ${TIMEOUT_MS} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  private remember(setCookies: string[]): void {
    for (const line of setCookies) {
      const pair = line.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /;\s*max-age=0(?:;|$)/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
}

/** Parses a JSON body, or fails with the status and the body so the report shows what the server said. */
export function json(answer: Answer, what: string): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new Error(`${what}: ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 300)}`);
  }
}

/** A problem+json body's `code`, when there is one. */
export function problemCode(answer: Answer): string | undefined {
  try {
    const body: unknown = JSON.parse(answer.body);
    if (typeof body === "object" && body !== null && "code" in body && typeof body.code === "string") return body.code;
  } catch {
    // not JSON: no code
  }
  return undefined;
}

/** Fails unless the answer has the expected status; the message carries the problem body. */
export function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.body}`);
}
