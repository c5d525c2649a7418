/**
 * A client that reports a failure quotes the X-Request-Id header; support finds the log line by it. The header must
 * be on refusals too, and must match the `requestId` in the problem body.
 */
import { describe, expect, it } from "vitest";
import { AppError, problemBody } from "../../worker/errors";
import { call, expectProblem, unique } from "../helpers";
import { callFrom, freshIp, openShop, signIn } from "../support/identity";

describe("X-Request-Id on problem responses", () => {
  it("a successful sign-in carries X-Request-Id", async () => {
    const shop = await openShop();
    const res = await signIn(freshIp(), shop.email);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a refused sign-in carries the same request id in the X-Request-Id header as in the body", async () => {
    const res = await signIn(freshIp(), `${unique("nobody")}@example.com`, "wrong-password");
    await expectProblem(res, 401, "invalid_credentials");
  });

  it("a refused sign-up carries the same request id in the X-Request-Id header as in the body", async () => {
    const res = await callFrom(freshIp(), "/api/onboarding/merchants", { body: { slug: "www" } });
    await expectProblem(res, 400, "validation_failed");
  });

  it("an unknown shop host's 404 carries the same request id in the X-Request-Id header as in the body", async () => {
    await expectProblem(await call("/api/shop/me", { host: `${unique("ghost")}.localhost` }), 404, "shop_not_found");
  });
});

describe("problem members", () => {
  it("an extension named like a standard member never replaces it", () => {
    const body = problemBody(
      new AppError("invalid_transition", "A paid order cannot be cancelled here", {
        extensions: { status: "paid", code: "x", orderStatus: "paid" },
      }),
      "req-1",
    );
    expect(body).toMatchObject({ status: 409, code: "invalid_transition", requestId: "req-1", orderStatus: "paid" });
  });
});
