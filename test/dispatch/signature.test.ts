import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signature, webhookHeaders } from "../../worker/modules/dispatch/signature";

const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signing", () => {
  it("matches the specification's published test vector", async () => {
    expect(await signature(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it("is accepted by the spec's own library, standardwebhooks", async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: "order.dispatch.v1", data: { subOrderId: "sub_1" } });
    const headers = await webhookHeaders([VECTOR.secret], "msg_1", now, body);
    expect(new Webhook(VECTOR.secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("during a rotation both secrets sign, so a verifier holding either one accepts", async () => {
    const fresh = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = await webhookHeaders([fresh, VECTOR.secret], "msg_2", now, "{}");
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(fresh).verify("{}", headers)).toEqual({});
    expect(new Webhook(VECTOR.secret).verify("{}", headers)).toEqual({});
  });

  it("a verifier rejects a forged signature, a changed body and a stale timestamp", async () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = await webhookHeaders([newWebhookSecret()], "msg_3", now, "{}");
    expect(() => new Webhook(VECTOR.secret).verify("{}", headers)).toThrow(WebhookVerificationError);
    const good = await webhookHeaders([VECTOR.secret], "msg_4", now, '{"a":1}');
    expect(() => new Webhook(VECTOR.secret).verify('{"a":2}', good)).toThrow(WebhookVerificationError);
    const stale = await webhookHeaders([VECTOR.secret], "msg_5", now - 10 * 60, "{}");
    expect(() => new Webhook(VECTOR.secret).verify("{}", stale)).toThrow(WebhookVerificationError);
  });

  it("new secrets are whsec_ plus 32 random bytes", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});
