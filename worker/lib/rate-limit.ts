/**
 * @module rate-limit: the service-side call into the RateLimiter Durable Object, failing with a 429 problem.
 */
import type { RateRule } from "../../durable-objects/rate-limiter";
import { AppError } from "../errors";

export const RULES = {
  signInPerIp: [{ name: "10m", limit: 30, windowMs: 600_000 }],
  signInPerEmail: [{ name: "15m", limit: 10, windowMs: 900_000 }],
  otpSendPerPhone: [
    { name: "1m", limit: 1, windowMs: 60_000 },
    { name: "1h", limit: 5, windowMs: 3_600_000 },
  ],
  otpSendPerIp: [{ name: "1h", limit: 30, windowMs: 3_600_000 }],
  otpVerifyPerPhone: [{ name: "15m", limit: 10, windowMs: 900_000 }],
  signUpPerIp: [{ name: "1h", limit: 20, windowMs: 3_600_000 }],
} satisfies Record<string, RateRule[]>;

/**
 * @example await enforceRateLimit(env, `signin:ip:${ip}`, RULES.signInPerIp)
 */
export async function enforceRateLimit(env: Env, key: string, rules: RateRule[]): Promise<void> {
  const decision = await env.RATE_LIMITER.getByName(key).consume(rules);
  if (decision.ok) return;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw new AppError("rate_limited", `Too many attempts; try again in ${seconds} s`, {
    headers: { "retry-after": String(seconds) },
    extensions: { retryAfterSeconds: seconds },
  });
}

export function clientAddress(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "local";
}
