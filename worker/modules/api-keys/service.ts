/**
 * @module api-keys/service: create (shown once), list, revoke and authenticate integration keys.
 */
import { AppError } from "../../errors";
import { newId, randomToken, sha256Hex } from "../../lib/crypto";
import type { OrgRef } from "../orgs/repository";
import { type ApiKeyRow, findActiveKeyByHash, insertKey, listKeys, revokeKey, touchKey } from "./repository";

const KEY_PREFIX = { supplier: "sk_sup_", merchant: "sk_mer_" } as const;
const KEY_PATTERN = /^sk_(sup|mer)_[0-9A-Za-z]{40}$/;

export interface ApiKeyView {
  id: string;
  name: string;
  displayPrefix: string;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  revokedAtMs: number | null;
}

function view(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    displayPrefix: row.displayPrefix,
    createdAtMs: row.createdAtMs,
    lastUsedAtMs: row.lastUsedAtMs,
    revokedAtMs: row.revokedAtMs,
  };
}

export async function createApiKey(
  d1: D1Database,
  org: OrgRef,
  name: string,
  createdBy: string,
): Promise<ApiKeyView & { secret: string }> {
  const secret = `${KEY_PREFIX[org.orgType]}${randomToken(40)}`;
  const nowMs = Date.now();
  const row: ApiKeyRow = {
    id: newId("key", nowMs),
    orgType: org.orgType,
    orgId: org.orgId,
    name,
    displayPrefix: secret.slice(0, 12),
    keyHash: await sha256Hex(secret),
    createdBy,
    createdAtMs: nowMs,
    lastUsedAtMs: null,
    revokedAtMs: null,
  };
  await insertKey(d1, row);
  return { ...view(row), secret };
}

export async function listApiKeys(d1: D1Database, org: OrgRef): Promise<ApiKeyView[]> {
  return (await listKeys(d1, org)).map(view);
}

export async function revokeApiKey(d1: D1Database, org: OrgRef, keyId: string): Promise<ApiKeyView> {
  const row = await revokeKey(d1, org, keyId, Date.now());
  if (!row) throw new AppError("not_found", `No API key ${keyId} in this organisation`);
  return view(row);
}

/** Returns the key's org, or throws `api_key_invalid` for a malformed, unknown or revoked key. */
export async function authenticateApiKey(
  d1: D1Database,
  secret: string,
  defer: (work: Promise<unknown>) => void,
): Promise<ApiKeyRow> {
  if (!KEY_PATTERN.test(secret)) throw new AppError("api_key_invalid");
  const row = await findActiveKeyByHash(d1, await sha256Hex(secret));
  if (!row) throw new AppError("api_key_invalid");
  defer(touchKey(d1, row.id, Date.now()));
  return row;
}
