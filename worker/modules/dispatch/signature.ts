/**
 * @module dispatch/signature: Standard Webhooks signing (https://www.standardwebhooks.com). The signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 under the key inside `whsec_<base64>`, sent as
 * `v1,<base64>`. During a secret rotation every valid secret signs and the signatures are space-separated, which
 * every Standard Webhooks verifier accepts.
 */
import { fromBase64, hmacSha256Base64, toBase64 } from "../../lib/crypto";

const PREFIX = "whsec_";

export function secretKey(secret: string): Uint8Array {
  if (!secret.startsWith(PREFIX)) throw new RangeError("A webhook secret starts with whsec_");
  return fromBase64(secret.slice(PREFIX.length));
}

/** A new secret: 32 random bytes, as Standard Webhooks libraries generate them. */
export function newWebhookSecret(): string {
  return `${PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export async function signature(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  return `v1,${await hmacSha256Base64(secretKey(secret), `${id}.${timestampSeconds}.${body}`)}`;
}

/** The three headers of a Standard Webhooks request, signed with each of `secrets`. */
export async function webhookHeaders(
  secrets: string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((secret) => signature(secret, id, timestampSeconds, body)));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": signatures.join(" "),
  };
}
