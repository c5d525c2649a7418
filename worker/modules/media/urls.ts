/**
 * @module media/urls: where an image key is served. Keys are R2 object keys (`p/<supplierId>/<productId>/<imageId>`)
 * or generated placeholders (`placeholder/<hue 0-359>/<label>.svg`, drawn on request, used by the demo data).
 */

export const PLACEHOLDER_PREFIX = "placeholder/";

export function isPlaceholderKey(key: string): boolean {
  return key.startsWith(PLACEHOLDER_PREFIX);
}

/**
 * @example imageUrl("placeholder/200/补水面膜.svg") // "/api/media/placeholder/200/%E8%A1%A5….svg"
 */
export function imageUrl(key: string, width?: number): string {
  const path = key.split("/").map(encodeURIComponent).join("/");
  return `/api/media/${path}${width ? `?w=${width}` : ""}`;
}

export function placeholderKey(hue: number, label: string): string {
  return `${PLACEHOLDER_PREFIX}${Math.abs(Math.round(hue)) % 360}/${label.replaceAll("/", " ")}.svg`;
}
