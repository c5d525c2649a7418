/**
 * @module media/urls: where an image key is served. Keys are R2 object keys (`p/<supplierId>/<productId>/<imageId>`)
 * or generated placeholders (`placeholder/<hue 0-359>/<label>.svg`, drawn on request, used by the demo data).
 */

export const PLACEHOLDER_PREFIX = "placeholder/";

/**
 * The fixed widths a product image is also stored at: the supplier console draws them in the browser (Workers cannot
 * resize without the Images binding) and `?w=` picks the smallest one at least as wide as asked.
 */
export const RENDITION_WIDTHS = [320, 800] as const;
export type RenditionWidth = (typeof RENDITION_WIDTHS)[number];
/** The width a srcset claims for the original: its real width is not recorded, only that it is wider than 800. */
const ORIGINAL_SRCSET_WIDTH = 1600;

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

/**
 * Every rendition plus the original, for `srcset`; undefined for placeholders, which are one SVG at every width.
 * @example imageSrcset("p/sup_1/prd_1/img_1") // "/api/media/p/…/img_1?w=320 320w, …?w=800 800w, …/img_1 1600w"
 */
export function imageSrcset(key: string): string | undefined {
  if (isPlaceholderKey(key)) return undefined;
  const sized = RENDITION_WIDTHS.map((width) => `${imageUrl(key, width)} ${width}w`);
  return [...sized, `${imageUrl(key)} ${ORIGINAL_SRCSET_WIDTH}w`].join(", ");
}

export function placeholderKey(hue: number, label: string): string {
  return `${PLACEHOLDER_PREFIX}${Math.abs(Math.round(hue)) % 360}/${label.replaceAll("/", " ")}.svg`;
}
