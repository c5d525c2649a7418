import { describe, expect, it } from "vitest";
import { call, PASSWORD, sessionFrom, unique } from "../helpers";
import { callFrom, expireSession, freshIp, openShop, signIn } from "../support/identity";
import { problemOf } from "../support/identity-problems";

describe("POST /api/auth/sign-in — refused sign-ins", () => {
  it("a wrong password is 401 invalid_credentials and sets no cookie", async () => {
    const shop = await openShop();
    const res = await signIn(freshIp(), shop.email, "not-the-password");
    await problemOf(res, 401, "invalid_credentials");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("an unknown email is answered exactly like a wrong password, so nobody can probe which emails have accounts", async () => {
    const shop = await openShop();
    const wrongPassword = await problemOf(
      await signIn(freshIp(), shop.email, "not-the-password"),
      401,
      "invalid_credentials",
    );
    const unknownEmail = await problemOf(
      await signIn(freshIp(), `${unique("nobody")}@example.com`, "not-the-password"),
      401,
      "invalid_credentials",
    );
    expect(wrongPassword.requestId).not.toBe(unknownEmail.requestId);
    const { requestId: _a, ...first } = wrongPassword;
    const { requestId: _b, ...second } = unknownEmail;
    expect(first).toEqual(second);
  });

  it("a body with a field the API does not know is 400 validation_failed", async () => {
    const shop = await openShop();
    const res = await callFrom(freshIp(), "/api/auth/sign-in", {
      body: { email: shop.email, password: PASSWORD, remember: true },
    });
    const problem = await problemOf(res, 400, "validation_failed");
    expect(problem.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys" })]);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("an email that is not an email is 400 validation_failed naming the email field", async () => {
    const res = await callFrom(freshIp(), "/api/auth/sign-in", { body: { email: "not-an-email", password: PASSWORD } });
    const problem = await problemOf(res, 400, "validation_failed");
    expect(problem.issues).toEqual([expect.objectContaining({ path: "email" })]);
  });
});

describe("ended sessions", () => {
  it("after sign-out the same cookie gets 401 session_expired", async () => {
    const shop = await openShop();
    const session = sessionFrom(await signIn(freshIp(), shop.email));
    expect((await call("/api/auth/sign-out", { method: "POST", session })).status).toBe(200);
    await problemOf(await call("/api/auth/session", { session }), 401, "session_expired");
    await problemOf(await call("/api/merchant/profile", { session }), 401, "session_expired");
  });

  it("a session past its expiry gets 401 session_expired", async () => {
    const shop = await openShop();
    const session = sessionFrom(await signIn(freshIp(), shop.email));
    expect((await call("/api/auth/session", { session })).status).toBe(200);
    await expireSession(session);
    await problemOf(await call("/api/auth/session", { session }), 401, "session_expired");
    await problemOf(await call("/api/merchant/profile", { session }), 401, "session_expired");
  });

  it("an expired session cannot be signed out again, and signing out twice is refused", async () => {
    const shop = await openShop();
    const session = sessionFrom(await signIn(freshIp(), shop.email));
    expect((await call("/api/auth/sign-out", { method: "POST", session })).status).toBe(200);
    await problemOf(await call("/api/auth/sign-out", { method: "POST", session }), 401, "session_expired");
  });

  it("no cookie at all is 401 unauthenticated", async () => {
    await problemOf(await call("/api/auth/session"), 401, "unauthenticated");
    await problemOf(await call("/api/auth/sign-out", { method: "POST" }), 401, "unauthenticated");
  });

  it("a made-up session token is 401 unauthenticated, not session_expired", async () => {
    const res = await call("/api/auth/session", { headers: { cookie: `ec_session=${unique("forged")}` } });
    await problemOf(res, 401, "unauthenticated");
  });
});
