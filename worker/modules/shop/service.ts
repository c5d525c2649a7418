/**
 * @module shop/service: a merchant's shop settings (template, own minimum margin, home page sections), the
 * platform's default margin, and company-welfare employee codes that admit a shopper on first sign-in.
 */
import { z } from "zod";
import { runBatch } from "../../db/client";
import { AppError, type ProblemIssue } from "../../errors";
import { newId } from "../../lib/crypto";
import { MAX_LOGO_BYTES } from "../../middleware/json-body";
import { log } from "../../middleware/request-log";
import { ownedListingIds } from "../listings/service";
import { readImageUpload } from "../media/service";
import { putImage, shopLogoKey } from "../media/storage";
import { imageUrl } from "../media/urls";
import { DEFAULT_MIN_MARGIN_KEY, platformMinMarginBps } from "./policy";
import {
  claimCode,
  findClaimableCode,
  findShopSettings,
  insertWelfareCodes,
  listWelfareCodes,
  putPlatformSetting,
  setLogoStatement,
  upsertSettingsStatement,
  type WelfareCodeRow,
} from "./repository";
import {
  type HomeSection,
  HomeSectionsSchema,
  type ShopSettingsInput,
  type ShopSettingsView,
  type WelfareCodesInput,
} from "./schemas";

/** Stored sections that no longer parse (an older shape) are dropped rather than breaking the settings page. */
function storedSections(json: string): HomeSection[] {
  try {
    const parsed = HomeSectionsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function shopSettingsOf(d1: D1Database, merchantId: string): Promise<ShopSettingsView> {
  const [row, platformDefault] = await Promise.all([findShopSettings(d1, merchantId), platformMinMarginBps(d1)]);
  return {
    template: row?.template ?? "general",
    minMarginBps: row?.minMarginBps ?? null,
    effectiveMinMarginBps: row?.minMarginBps ?? platformDefault,
    homeSections: row ? storedSections(row.homeSections) : [],
    logoUrl: row?.logoKey ? imageUrl(row.logoKey) : null,
    catalogVersion: row?.catalogVersion ?? 1,
    updatedAtMs: row?.updatedAtMs ?? null,
  };
}

/** Collections may show only this shop's own listings; anything else reads as unknown, whoever owns it. */
async function checkCollections(d1: D1Database, merchantId: string, sections: HomeSection[]): Promise<void> {
  const wanted = sections.flatMap((section) => (section.type === "collection" ? section.listingIds : []));
  if (wanted.length === 0) return;
  const owned = await ownedListingIds(d1, merchantId, [...new Set(wanted)]);
  const issues: ProblemIssue[] = [];
  sections.forEach((section, i) => {
    if (section.type !== "collection") return;
    section.listingIds.forEach((id, j) => {
      if (!owned.has(id)) {
        issues.push({
          path: `homeSections.${i}.listingIds.${j}`,
          message: `No listing ${id} in this shop`,
          code: "unknown_listing",
        });
      }
    });
  });
  const first = issues[0];
  if (first) throw new AppError("validation_failed", `${first.path}: ${first.message}`, { extensions: { issues } });
}

export async function saveShopSettings(
  d1: D1Database,
  merchantId: string,
  input: ShopSettingsInput,
): Promise<ShopSettingsView> {
  await checkCollections(d1, merchantId, input.homeSections);
  await runBatch(d1, [
    upsertSettingsStatement(
      d1,
      merchantId,
      { template: input.template, homeSections: JSON.stringify(input.homeSections), minMarginBps: input.minMarginBps },
      Date.now(),
    ),
  ]);
  return shopSettingsOf(d1, merchantId);
}

/** Removing a replaced logo is best effort: nothing links to it any more, so an orphan costs storage only. */
async function forgetLogoObject(bucket: R2Bucket, key: string | null | undefined): Promise<void> {
  if (!key) return;
  try {
    await bucket.delete(key);
  } catch (error) {
    log("warn", "logo object left behind", { key, error: String(error) });
  }
}

/**
 * Stores the request body (a checked PNG, JPEG or WebP of at most 2 MB) as the shop's logo, replacing any earlier
 * one, and purges the shop's cached pages.
 * @example const { logoUrl } = await uploadShopLogo(env, merchantId, c.req.raw)
 */
export async function uploadShopLogo(env: Env, merchantId: string, request: Request): Promise<{ logoUrl: string }> {
  const { bytes, type } = await readImageUpload(request, MAX_LOGO_BYTES);
  const key = shopLogoKey(merchantId, newId("logo"));
  const previous = (await findShopSettings(env.DB, merchantId))?.logoKey;
  await putImage(env.MEDIA, key, bytes, type);
  try {
    await runBatch(env.DB, [setLogoStatement(env.DB, merchantId, key, Date.now())]);
  } catch (error) {
    await env.MEDIA.delete(key);
    throw error;
  }
  await forgetLogoObject(env.MEDIA, previous);
  return { logoUrl: imageUrl(key) };
}

/** Clears the shop's logo (the header shows the name again); a shop without one is left as it is. */
export async function removeShopLogo(env: Env, merchantId: string): Promise<void> {
  const previous = (await findShopSettings(env.DB, merchantId))?.logoKey;
  if (!previous) return;
  await runBatch(env.DB, [setLogoStatement(env.DB, merchantId, null, Date.now())]);
  await forgetLogoObject(env.MEDIA, previous);
}

export async function platformSettings(d1: D1Database): Promise<{ defaultMinMarginBps: number }> {
  return { defaultMinMarginBps: await platformMinMarginBps(d1) };
}

export async function savePlatformSettings(
  d1: D1Database,
  input: { defaultMinMarginBps: number },
): Promise<{ defaultMinMarginBps: number }> {
  await putPlatformSetting(d1, DEFAULT_MIN_MARGIN_KEY, String(input.defaultMinMarginBps));
  return platformSettings(d1);
}

export async function importWelfareCodes(
  d1: D1Database,
  merchantId: string,
  input: WelfareCodesInput,
): Promise<{ created: number; skipped: number }> {
  const unique = new Map<string, string>();
  for (const entry of input.codes) if (!unique.has(entry.code)) unique.set(entry.code, entry.label ?? "");
  const created = await insertWelfareCodes(
    d1,
    merchantId,
    [...unique].map(([code, label]) => ({ code, label })),
  );
  return { created, skipped: input.codes.length - created };
}

const CODE_CURSOR = z.string().min(1).max(64);

function welfareView(row: WelfareCodeRow) {
  return {
    code: row.code,
    label: row.label,
    claimed: row.claimedByShopperId !== null,
    claimedByShopperId: row.claimedByShopperId,
    claimedAtMs: row.claimedAtMs,
  };
}

export async function welfareCodesOf(
  d1: D1Database,
  merchantId: string,
  query: { claimed?: "true" | "false"; cursor?: string; limit: number },
) {
  const afterCode = query.cursor === undefined ? undefined : decodeCodeCursor(query.cursor);
  const rows = await listWelfareCodes(d1, merchantId, {
    claimed: query.claimed === undefined ? undefined : query.claimed === "true",
    afterCode,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(welfareView),
    nextCursor: rows.length > query.limit && last ? btoa(encodeURIComponent(last.code)) : null,
  };
}

function decodeCodeCursor(cursor: string): string {
  try {
    const parsed = CODE_CURSOR.safeParse(decodeURIComponent(atob(cursor)));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the 400 below
  }
  throw new AppError("validation_failed", "cursor is not one this list handed out");
}

/**
 * What a shopper's first sign-in on this shop needs. A welfare shop admits only holders of an unclaimed employee
 * code; other shops need nothing. Throws the 403 the shopper sees, or returns the code to claim.
 */
export async function welfareAdmission(
  d1: D1Database,
  merchantId: string,
  shopperId: string,
  employeeCode: string | undefined,
): Promise<{ code: string } | undefined> {
  const settings = await findShopSettings(d1, merchantId);
  if (settings?.template !== "welfare") return undefined;
  if (employeeCode === undefined) {
    throw new AppError("employee_code_required", "请输入公司发放的员工码完成首次登录");
  }
  if (!(await findClaimableCode(d1, merchantId, employeeCode, shopperId))) {
    throw new AppError("employee_code_invalid", "员工码不存在或已被使用");
  }
  return { code: employeeCode };
}

/** Claims the code for this shopper; false when someone else claimed it first. */
export function claimWelfareCode(
  d1: D1Database,
  merchantId: string,
  code: string,
  shopperId: string,
  nowMs: number,
): Promise<boolean> {
  return claimCode(d1, merchantId, code, shopperId, nowMs);
}
