/**
 * @module i18n/zh-CN: Simplified Chinese, the default language, assembled from one file per audience in zh-CN/.
 * Its keys are the keys every dictionary must have. `{name}` marks a value filled in by `t(lang, key, { name })`.
 */

import { clientZhCN } from "./zh-CN/client";
import { coreZhCN } from "./zh-CN/core";
import { merchantZhCN } from "./zh-CN/merchant";
import { platformZhCN } from "./zh-CN/platform";
import { shopZhCN } from "./zh-CN/shop";
import { supplierZhCN } from "./zh-CN/supplier";

export const zhCN = {
  ...coreZhCN,
  ...clientZhCN,
  ...merchantZhCN,
  ...supplierZhCN,
  ...shopZhCN,
  ...platformZhCN,
} as const;

export type MessageKey = keyof typeof zhCN;
