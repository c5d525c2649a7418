import { env, exports } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_BODY_BYTES } from "../../worker/middleware/json-body";
import { call, type MerchantTenant } from "../helpers";
import { expectCode, type ProblemBody } from "../support/problems";
import { openShop } from "../support/tenants";

/** The headers `secureHeaders()` promises on every API response, problems included. */
function expectSecureHeaders(res: Response): void {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
}

/** Every field RFC 9457 and our vocabulary promise, and the secure headers. */
async function expectFullProblem(res: Response, status: number, code: string): Promise<ProblemBody> {
  const body = await expectCode(res, status, code);
  expect(body.type).toBe(`https://docs.edge-commerce.dev/problems/${code}`);
  expect(typeof body.title).toBe("string");
  expect(String(body.title).length).toBeGreaterThan(0);
  expect(typeof body.detail).toBe("string");
  expect(String(body.detail).length).toBeGreaterThan(0);
  expect(body.requestId).toMatch(/\S{8,}/);
  expectSecureHeaders(res);
  return body;
}

let owner: MerchantTenant;

beforeAll(async () => {
  owner = await openShop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("request bodies", () => {
  it("a body that is not valid JSON is rejected as malformed_json before any handler runs", async () => {
    const res = await call("/api/auth/sign-in", { body: '{"email": "a@b.c", "password": ' });
    await expectFullProblem(res, 400, "malformed_json");
  });

  it("a text/plain body is refused with 415 unsupported_media_type", async () => {
    const res = await call("/api/auth/sign-in", {
      body: JSON.stringify({ email: "a@example.com", password: "whatever-long" }),
      headers: { "content-type": "text/plain" },
    });
    const body = await expectFullProblem(res, 415, "unsupported_media_type");
    expect(body.detail).toContain("text/plain");
  });

  it("a vendor +json media type with parameters is accepted as JSON", async () => {
    const res = await call("/api/auth/sign-in", {
      body: { email: "nobody@example.com", password: "wrong-password" },
      headers: { "content-type": "application/problem+json; charset=utf-8" },
    });
    // Gets past the body checks to the credential check.
    await expectCode(res, 401, "invalid_credentials");
  });

  it("a body over 1 MB is refused with 413 payload_too_large", async () => {
    const big = JSON.stringify({ email: "a@example.com", password: "x".repeat(MAX_BODY_BYTES) });
    const res = await call("/api/auth/sign-in", { body: big });
    await expectFullProblem(res, 413, "payload_too_large");
  });

  it("a streamed body over 1 MB without Content-Length is refused with 413 too", async () => {
    const chunk = new TextEncoder().encode(`"${"y".repeat(64 * 1024)}",`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES) {
          controller.enqueue(new TextEncoder().encode('"end"]'));
          controller.close();
          return;
        }
        if (sent === 0) controller.enqueue(new TextEncoder().encode("["));
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
    const res = await exports.default.fetch("http://localhost/api/auth/sign-in", {
      method: "POST",
      headers: { host: "localhost", "content-type": "application/json" },
      body: stream,
    });
    await expectFullProblem(res, 413, "payload_too_large");
  });

  it("a body of exactly the limit is not refused for its size", async () => {
    const filler = MAX_BODY_BYTES - JSON.stringify({ email: "nobody@example.com", password: "" }).length;
    const body = JSON.stringify({ email: "nobody@example.com", password: "p".repeat(filler) });
    expect(new TextEncoder().encode(body).byteLength).toBe(MAX_BODY_BYTES);
    const res = await call("/api/auth/sign-in", { body });
    expect(res.status).not.toBe(413);
  });
});

describe("routing and validation", () => {
  it("an unknown /api route answers 404 route_not_found naming the method and path", async () => {
    const res = await call("/api/no-such-thing");
    const body = await expectFullProblem(res, 404, "route_not_found");
    expect(body.detail).toContain("GET /api/no-such-thing");
  });

  it("a malformed path parameter answers 400 validation_failed with the offending issue", async () => {
    const res = await call("/api/merchant/api-keys/not-an-id", { method: "DELETE", session: owner });
    const body = await expectFullProblem(res, 400, "validation_failed");
    const issues = body.issues as { path: string; message: string; code: string }[];
    expect(Array.isArray(issues)).toBe(true);
    expect(issues).toContainEqual(expect.objectContaining({ path: "id", message: "Not a key_ id" }));
  });

  it("a body that fails the schema lists every issue with its field path", async () => {
    const res = await call("/api/onboarding/merchants", {
      body: { shopName: "", slug: "x", ownerName: "o", email: "not-an-email", password: "short" },
    });
    const body = await expectFullProblem(res, 400, "validation_failed");
    const paths = (body.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["shopName", "slug", "email", "password"]));
  });

  it("a successful response carries the secure headers and a request id too", async () => {
    const res = await call("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/\S{8,}/);
    expectSecureHeaders(res);
  });

  it("each response gets its own request id", async () => {
    const [a, b] = await Promise.all([call("/api/health"), call("/api/health")]);
    const idA = a.headers.get("x-request-id");
    const idB = b.headers.get("x-request-id");
    expect(idA).toBeTruthy();
    expect(idA).not.toBe(idB);
  });
});

describe("request id on problems", () => {
  it.each([
    ["an unknown route", () => call("/api/no-such-thing")],
    ["malformed JSON", () => call("/api/auth/sign-in", { body: "{" })],
    ["an anonymous console read", () => call("/api/merchant/profile")],
  ])("a problem for %s carries the X-Request-Id header equal to its requestId", async (_what, send) => {
    const res = await send();
    const body = await res.json<ProblemBody>();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(body.requestId).toMatch(/\S{8,}/);
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });
});

describe("failures on our side", () => {
  it("health answers 503 unavailable when D1 does not answer", async () => {
    const prepare = env.DB.prepare.bind(env.DB);
    vi.spyOn(env.DB, "prepare").mockImplementation((sql: string) => {
      const statement = prepare(sql);
      vi.spyOn(statement, "first").mockRejectedValue(new Error("D1_ERROR: network connection lost"));
      return statement;
    });
    const res = await call("/api/health");
    await expectFullProblem(res, 503, "unavailable");
  });

  it("an unexpected exception becomes 500 internal_error without its message or stack in the body", async () => {
    const secret = "boom: SELECT password_hash FROM users at worker/secret.ts:42";
    vi.spyOn(env.DB, "prepare").mockImplementation(() => {
      throw new Error(secret);
    });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await call("/api/onboarding/slug-availability?slug=tea-house");
    const text = await res.clone().text();
    const body = await expectFullProblem(res, 500, "internal_error");
    expect(text).not.toContain("boom");
    expect(text).not.toContain("password_hash");
    expect(text).not.toMatch(/\bat .+:\d+/);
    expect(body).not.toHaveProperty("stack");
    expect(body.detail).toBe(body.title);
  });

  it("an unexpected exception is logged with the request id the caller sees", async () => {
    vi.spyOn(env.DB, "prepare").mockImplementation(() => {
      throw new Error("kaboom");
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await call("/api/onboarding/slug-availability?slug=tea-house");
    expect(res.status).toBe(500);
    const { requestId } = await res.json<ProblemBody>();
    const lines = errors.mock.calls.map((args) => String(args[0]));
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: "unhandled error", requestId, error: expect.stringContaining("kaboom") }),
    );
  });
});
