/**
 * @module devpay/signature: how devpay signs a notification and how we check it, after WeChat Pay v3's scheme —
 * the signed message is `timestamp\nnonce\nbody\n`; a notification older than five minutes is refused as stale, so a
 * captured request cannot be replayed later (replays inside the window change nothing: handling is idempotent).
 */
import { hmacSha256Base64, randomToken, secretsEqual } from "../../../lib/crypto";

export const MAX_AGE_SECONDS = 300;
export const HEADERS = {
  timestamp: "devpay-timestamp",
  nonce: "devpay-nonce",
  signature: "devpay-signature",
  serial: "devpay-serial",
} as const;

const encoder = new TextEncoder();

function message(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export async function signNotification(key: string, body: string, nowMs: number): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = randomToken(16);
  return {
    [HEADERS.timestamp]: timestamp,
    [HEADERS.nonce]: nonce,
    [HEADERS.signature]: await hmacSha256Base64(encoder.encode(key), message(timestamp, nonce, body)),
    [HEADERS.serial]: "devpay-1",
  };
}

export async function verifyNotification(
  key: string,
  headers: Headers,
  body: string,
  nowMs: number,
): Promise<"ok" | "signature" | "stale"> {
  const timestamp = headers.get(HEADERS.timestamp) ?? "";
  const nonce = headers.get(HEADERS.nonce) ?? "";
  const signature = headers.get(HEADERS.signature) ?? "";
  if (!/^\d{1,12}$/.test(timestamp) || !nonce || !signature) return "signature";
  const expected = await hmacSha256Base64(encoder.encode(key), message(timestamp, nonce, body));
  if (!(await secretsEqual(expected, signature))) return "signature";
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_AGE_SECONDS) return "stale";
  return "ok";
}
