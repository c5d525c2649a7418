/**
 * @module renditions: draws the fixed-width WebP copies of a just-uploaded product image in the browser and uploads
 * them, because the Worker cannot resize images itself (no Images binding). A browser that cannot encode WebP, or a
 * failed copy, leaves the image served from its original: renditions only make pages lighter.
 */
import { RENDITION_WIDTHS } from "../../../worker/modules/media/urls";

const WEBP_QUALITY = 0.82;

function encodeWebp(bitmap: ImageBitmap, width: number): Promise<Blob | null> {
  const targetWidth = Math.min(width, bitmap.width);
  const targetHeight = Math.max(1, Math.round((bitmap.height * targetWidth) / bitmap.width));
  const canvas = document.createElement("canvas");
  canvas.width = targetWidth;
  canvas.height = targetHeight;
  const context = canvas.getContext("2d");
  if (!context) return Promise.resolve(null);
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, targetWidth, targetHeight);
  // Browsers without a WebP encoder hand back a PNG instead; the server would refuse it, so it is dropped here.
  return new Promise((resolve) =>
    canvas.toBlob((blob) => resolve(blob?.type === "image/webp" ? blob : null), "image/webp", WEBP_QUALITY),
  );
}

/**
 * Uploads a copy of `file` at each rendition width (never wider than the file itself) for image `imageId`.
 * @example await uploadRenditions(`/api/supplier/products/${productId}`, image.id, file, csrf)
 * @returns how many renditions were stored
 */
export async function uploadRenditions(base: string, imageId: string, file: File, csrf: string | undefined) {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return 0;
  }
  let stored = 0;
  try {
    for (const width of RENDITION_WIDTHS) {
      const blob = await encodeWebp(bitmap, width);
      if (!blob) continue;
      const headers = new Headers({
        "content-type": "image/webp",
        accept: "application/json, application/problem+json",
      });
      if (csrf) headers.set("x-csrf-token", csrf);
      const url = `${base}/images/${encodeURIComponent(imageId)}/renditions/${width}`;
      const response = await fetch(url, { method: "POST", headers, body: blob, credentials: "same-origin" }).catch(
        () => undefined,
      );
      if (response?.ok) stored += 1;
    }
  } finally {
    bitmap.close();
  }
  return stored;
}
