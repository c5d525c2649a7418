/**
 * @module pool/cursor: opaque keyset cursors — the sort key and id of the last row, base64url-encoded JSON, bound
 * to the ordering they were made for so a cursor from another sort is refused instead of skipping rows.
 */
import { z } from "zod";
import { AppError } from "../../errors";

const CursorSchema = z.strictObject({ s: z.string(), k: z.number().int(), id: z.string() });
export type Cursor = z.infer<typeof CursorSchema>;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}

export function encodeCursor(cursor: Cursor): string {
  return toBase64Url(JSON.stringify(cursor));
}

/** Decodes a cursor made for `sort`; anything else is a 400, never a 500. */
export function decodeCursor(text: string, sort: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(text));
  } catch {
    parsed = undefined;
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success || result.data.s !== sort) {
    throw new AppError("validation_failed", "cursor is not one this list handed out for this sort", {
      extensions: { issues: [{ path: "cursor", message: "Unknown cursor", code: "invalid_cursor" }] },
    });
  }
  return result.data;
}
