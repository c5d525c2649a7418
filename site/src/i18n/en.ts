/**
 * @module i18n/en: English, assembled from one file per audience in en/, each typed against its Chinese part.
 */

import { clientEn } from "./en/client";
import { coreEn } from "./en/core";
import { merchantEn } from "./en/merchant";
import { platformEn } from "./en/platform";
import { shopEn } from "./en/shop";
import { supplierEn } from "./en/supplier";
import type { MessageKey } from "./zh-CN";

export const en: Record<MessageKey, string> = {
  ...coreEn,
  ...clientEn,
  ...merchantEn,
  ...supplierEn,
  ...shopEn,
  ...platformEn,
};
