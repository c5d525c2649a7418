/**
 * Shop logo helpers for this folder: a raw-body upload through the real Worker entry, and what D1 and R2 hold.
 */
import { env, exports } from "cloudflare:workers";
import type { Session } from "../helpers";

export async function uploadLogo(
  who: Session | { headers: Record<string, string> },
  bytes: Uint8Array,
  contentType = "image/png",
): Promise<Response> {
  const headers: Record<string, string> = { host: "localhost", "content-type": contentType };
  if ("headers" in who) Object.assign(headers, who.headers);
  else Object.assign(headers, { cookie: who.cookie, "x-csrf-token": who.csrf });
  return exports.default.fetch("http://localhost/api/merchant/logo", { method: "POST", headers, body: bytes });
}

export async function storedLogoKey(merchantId: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT logo_key AS logoKey FROM shop_settings WHERE merchant_id = ?")
    .bind(merchantId)
    .first<{ logoKey: string | null }>();
  return row?.logoKey ?? null;
}

export async function logoObjects(merchantId: string): Promise<string[]> {
  return (await env.MEDIA.list({ prefix: `l/${merchantId}/` })).objects.map((object) => object.key);
}
