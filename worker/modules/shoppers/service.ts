/**
 * @module shoppers/service: phone + one-time code sign-in on a shop. The code goes out through the messaging seam
 * and never appears in an API response.
 */
import { AppError } from "../../errors";
import { newId, secretsEqual, sha256Hex } from "../../lib/crypto";
import { messageSender } from "../../lib/messaging";
import { clientAddress, enforceRateLimit, RULES } from "../../lib/rate-limit";
import { createSession, type NewSession, sessionTtlMs } from "../auth/sessions";
import type { ShopSummary } from "../orgs/repository";
import { claimWelfareCode, welfareAdmission } from "../shop/service";
import {
  consumeOtp,
  findMembership,
  insertOtp,
  latestLiveOtp,
  takeOtpAttempt,
  touchMembership,
  upsertShopperByPhone,
} from "./repository";

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

function sixDigits(): string {
  const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
  return String(n % 1_000_000).padStart(6, "0");
}

export async function sendSignInCode(env: Env, request: Request, shop: ShopSummary, phone: string) {
  await enforceRateLimit(env, `otp-send:ip:${clientAddress(request)}`, RULES.otpSendPerIp);
  await enforceRateLimit(env, `otp-send:phone:${phone}`, RULES.otpSendPerPhone);
  const sender = messageSender(env);
  const nowMs = Date.now();
  const id = newId("otp", nowMs);
  const code = sixDigits();
  await insertOtp(env.DB, {
    id,
    phone,
    merchantId: shop.id,
    codeHash: await sha256Hex(`${id}:${code}`),
    createdAtMs: nowMs,
    expiresAtMs: nowMs + OTP_TTL_MS,
  });
  await sender.send({
    channel: "sms",
    recipient: phone,
    subject: `${shop.name} 登录验证码`,
    body: `【${shop.name}】验证码 ${code}，5 分钟内有效。如非本人操作请忽略。`,
  });
  return { sentTo: maskPhone(phone), expiresInSeconds: OTP_TTL_MS / 1000 };
}

export async function verifySignInCode(
  env: Env,
  shop: ShopSummary,
  phone: string,
  code: string,
  employeeCode?: string,
): Promise<{ session: NewSession; shopperId: string; memberSinceMs: number }> {
  await enforceRateLimit(env, `otp-verify:phone:${phone}`, RULES.otpVerifyPerPhone);
  const nowMs = Date.now();
  const otp = await latestLiveOtp(env.DB, shop.id, phone, nowMs);
  const attempts = otp ? await takeOtpAttempt(env.DB, otp.id, OTP_MAX_ATTEMPTS) : undefined;
  if (!otp || attempts === undefined) throw new AppError("code_invalid", "Request a new code");
  if (!(await secretsEqual(await sha256Hex(`${otp.id}:${code}`), otp.codeHash))) {
    const left = OTP_MAX_ATTEMPTS - attempts;
    throw new AppError("code_invalid", left > 0 ? `Wrong code; ${left} tries left` : "Wrong code; request a new one");
  }
  const shopper = await upsertShopperByPhone(env.DB, phone, newId("shp", nowMs), nowMs);
  // Checked before the code is consumed, so a shopper told to add an employee code can retry with the same SMS code.
  const admission = (await findMembership(env.DB, shop.id, shopper.id))
    ? undefined
    : await welfareAdmission(env.DB, shop.id, shopper.id, employeeCode);
  if (!(await consumeOtp(env.DB, otp.id, nowMs))) throw new AppError("code_invalid", "This code was already used");
  if (admission && !(await claimWelfareCode(env.DB, shop.id, admission.code, shopper.id, nowMs))) {
    throw new AppError("employee_code_invalid", "员工码刚刚被其他人使用");
  }
  await touchMembership(env.DB, shop.id, shopper.id, nowMs);
  const membership = await findMembership(env.DB, shop.id, shopper.id);
  const session = await createSession(
    env.DB,
    { type: "shopper", id: shopper.id, merchantId: shop.id },
    sessionTtlMs(env),
  );
  return { session, shopperId: shopper.id, memberSinceMs: membership?.joinedAtMs ?? nowMs };
}

export async function memberSince(env: Env, shopId: string, shopperId: string): Promise<number | undefined> {
  return (await findMembership(env.DB, shopId, shopperId))?.joinedAtMs;
}
