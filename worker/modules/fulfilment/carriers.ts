/**
 * @module fulfilment/carriers: the express carriers a supplier may ship with, and what their tracking numbers look
 * like. The patterns are deliberately loose (length ranges, optional prefixes): they catch a number typed into the
 * wrong carrier or a pasted phone number, not every historical format a carrier ever issued.
 */

export interface Carrier {
  code: string;
  zh: string;
  en: string;
  /** Matched against the number after spaces and dashes are removed and letters upper-cased. */
  pattern: RegExp;
}

export const CARRIERS = [
  // SF1234567890123; older waybills are 12 bare digits.
  { code: "SF", zh: "顺丰速运", en: "SF Express", pattern: /^(SF)?\d{12,15}$/ },
  { code: "ZTO", zh: "中通快递", en: "ZTO Express", pattern: /^\d{12,15}$/ },
  // YT7000000000000, and older numbers with a one- or two-letter prefix.
  { code: "YTO", zh: "圆通速递", en: "YTO Express", pattern: /^[A-Z]{0,2}\d{10,18}$/ },
  { code: "YUNDA", zh: "韵达快递", en: "Yunda Express", pattern: /^\d{10,16}$/ },
  { code: "STO", zh: "申通快递", en: "STO Express", pattern: /^\d{12,15}$/ },
  // JD0001234567890, JDVA00000000000, JDX…: JD then letters and digits.
  { code: "JD", zh: "京东物流", en: "JD Logistics", pattern: /^JD[A-Z0-9]{10,18}$/ },
  // Domestic 13 digits, or the UPU S10 format (EE123456789CN).
  { code: "EMS", zh: "中国邮政 EMS", en: "China Post EMS", pattern: /^(\d{13}|[A-Z]{2}\d{9}[A-Z]{2})$/ },
  { code: "JT", zh: "极兔速递", en: "J&T Express", pattern: /^JT\d{10,16}$/ },
] as const satisfies readonly Carrier[];

export type CarrierCode = (typeof CARRIERS)[number]["code"];
export const CARRIER_CODES = CARRIERS.map((c) => c.code) as [CarrierCode, ...CarrierCode[]];

const BY_CODE = new Map<string, Carrier>(CARRIERS.map((c) => [c.code, c]));

export function carrierOf(code: string): Carrier | undefined {
  return BY_CODE.get(code);
}

/** The form a tracking number is stored and compared in. */
export function normaliseTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]/g, "").toUpperCase();
}

/**
 * Whether `trackingNumber` (normalised) can belong to the carrier.
 * @example trackingNumberFits("SF", "SF1234567890123") // true
 */
export function trackingNumberFits(code: string, trackingNumber: string): boolean {
  return carrierOf(code)?.pattern.test(trackingNumber) ?? false;
}

/** Name for views; an unknown code (a carrier retired from the list) shows as itself. */
export function carrierView(code: string): { code: string; name: { zh: string; en: string } } {
  const carrier = carrierOf(code);
  return { code, name: { zh: carrier?.zh ?? code, en: carrier?.en ?? code } };
}
