/**
 * @module theme: a shop's theme colour as CSS custom properties, with a text colour that keeps WCAG AA contrast.
 */
export const DEFAULT_THEME = "#e4393c";
const HEX = /^#([0-9a-f]{6})$/i;
const LIGHT_TEXT = "#ffffff";
const DARK_TEXT = "#000000";

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Background and foreground for the shop's brand areas. Against any colour, white or black reaches at least
 * 4.58:1 (the worst case is a mid grey), so taking the better of the two always meets WCAG AA for text.
 * @example themeColors("#e4393c") // { background: "#e4393c", foreground: "#000000" }
 */
export function themeColors(themeColor: string): { background: string; foreground: string } {
  const background = HEX.test(themeColor) ? themeColor.toLowerCase() : DEFAULT_THEME;
  const foreground =
    contrastRatio(background, LIGHT_TEXT) >= contrastRatio(background, DARK_TEXT) ? LIGHT_TEXT : DARK_TEXT;
  return { background, foreground };
}
