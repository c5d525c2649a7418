/**
 * @module i18n: the site's two languages. zh-CN is the default; the `lang` cookie (set by `?lang=…`) picks English.
 */
import { en } from "./en";
import { interpolate } from "./interpolate";
import { type MessageKey, zhCN } from "./zh-CN";

export type { MessageKey };

export const LANGS = ["zh-CN", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "zh-CN";
export const LANG_COOKIE = "lang";

/** Messages the browser scripts need: shown after a request, so they cannot be rendered into the page up front. */
export type ClientKey = Extract<MessageKey, `client.${string}` | `problem.${string}`>;

const dictionaries: Record<Lang, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export function parseLang(value: string | null | undefined): Lang | undefined {
  return LANGS.find((lang) => lang.toLowerCase() === value?.toLowerCase());
}

export function otherLang(lang: Lang): Lang {
  return lang === "en" ? "zh-CN" : "en";
}

/**
 * The message for `key` in `lang`, with `{name}` placeholders filled from `params`.
 * @example t("en", "client.codeSent", { to: "138****8000" })
 */
export function t(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return interpolate(dictionaries[lang][key], params);
}

/** Binds a language once per page: `const tr = translator(Astro.locals.lang)`. */
export function translator(lang: Lang) {
  return (key: MessageKey, params?: Record<string, string | number>) => t(lang, key, params);
}

export function clientMessages(lang: Lang): Record<ClientKey, string> {
  const dictionary = dictionaries[lang];
  const entries = Object.entries(dictionary).filter(([key]) => key.startsWith("client.") || key.startsWith("problem."));
  return Object.fromEntries(entries) as Record<ClientKey, string>;
}

export function formatDateTime(lang: Lang, epochMs: number): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(
    epochMs,
  );
}
