/**
 * @module orders/console-routes: orders in the consoles — `/api/merchant/orders` (list, detail with cost, CSV),
 * `/api/supplier/sub-orders` (the supplier's paid packages, supply prices only) and `/api/platform/orders`.
 * Another tenant's order or package is 404 exactly like a missing one, so ids never reveal what exists.
 */
import { createRoute, jsonOk, problems, router, z } from "../../lib/openapi";
import { requireOrg, requirePlatformAdmin } from "../auth/identity";
import {
  CostedOrderSchema,
  MerchantOrderListSchema,
  MerchantOrdersCsvQuery,
  MerchantOrdersQuery,
  PlatformOrderListSchema,
  PlatformOrderSchema,
  PlatformOrdersQuery,
  SubOrderParams,
  SupplierSubOrderListSchema,
  SupplierSubOrderSchema,
  SupplierSubOrdersQuery,
} from "./console-schemas";
import {
  merchantOrder,
  merchantOrders,
  merchantOrdersCsv,
  platformOrder,
  platformOrders,
  supplierSubOrders,
  supplierSubOrderView,
} from "./console-service";
import { OrderParams } from "./schemas";

const denied = problems("unauthenticated", "session_expired", "forbidden", "api_key_invalid", "org_ambiguous");
const listProblems = { ...denied, ...problems("validation_failed") };
const detailProblems = { ...denied, ...problems("validation_failed", "not_found") };
const integration = { allowApiKey: true } as const;

export const merchantOrderRoutes = router();
const merchantTags = ["Merchant orders"];

// Registered before `/orders/{id}`, though the id pattern (ord_…) would refuse the file name anyway.
merchantOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders.csv",
    tags: merchantTags,
    summary: "Export orders as CSV (UTF-8 with BOM, one row per order line, at most 10,000 lines)",
    description:
      "Same filters as the list. Columns: 订单号, 子订单号, 下单时间 (China time), 状态, 商品, 规格, 数量, 单价(元), " +
      "小计(元), 运费(元) (first line of each package), 实付(元) (first line of each order), 已退款(元), 收货人, 电话, " +
      "地址. A cut-short export carries `X-Export-Truncated: true`.",
    request: { query: MerchantOrdersCsvQuery },
    responses: { 200: { description: "UTF-8 CSV", content: { "text/csv": { schema: z.string() } } }, ...listProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    const file = await merchantOrdersCsv(c.env.DB, actor.orgId, c.req.valid("query"));
    const headers: Record<string, string> = {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    };
    if (file.truncated) headers["x-export-truncated"] = "true";
    return new Response(file.csv, { status: 200, headers });
  },
);

merchantOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders",
    tags: merchantTags,
    summary: "Your shop's orders, newest first: filter by status, day range (China time), number or phone",
    request: { query: MerchantOrdersQuery },
    responses: { 200: jsonOk(MerchantOrderListSchema, "One page; pass nextCursor as cursor"), ...listProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    return c.json(await merchantOrders(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

merchantOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders/{id}",
    tags: merchantTags,
    summary: "One of your orders: address, packages with lines, refunds, timeline, and what you pay suppliers",
    request: { params: OrderParams },
    responses: { 200: jsonOk(CostedOrderSchema, "The order"), ...detailProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    return c.json(await merchantOrder(c.env.DB, actor.orgId, c.req.valid("param").id), 200);
  },
);

export const supplierOrderRoutes = router();
const supplierTags = ["Supplier orders"];

supplierOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/sub-orders",
    tags: supplierTags,
    summary: "Your paid packages to ship, newest first (unpaid and cancelled orders never show)",
    request: { query: SupplierSubOrdersQuery },
    responses: { 200: jsonOk(SupplierSubOrderListSchema, "One page; pass nextCursor as cursor"), ...listProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(await supplierSubOrders(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

supplierOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/sub-orders/{id}",
    tags: supplierTags,
    summary: "One package to pack: lines at supply price, shop name, address, buyer's note, timeline",
    request: { params: SubOrderParams },
    responses: { 200: jsonOk(SupplierSubOrderSchema, "The package"), ...detailProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(await supplierSubOrderView(c.env.DB, actor.orgId, c.req.valid("param").id), 200);
  },
);

export const platformOrderRoutes = router();
const platformTags = ["Platform orders"];
const adminDenied = problems("unauthenticated", "session_expired", "forbidden");

platformOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders",
    tags: platformTags,
    summary: "Every shop's orders, newest first: filter by status, shop, supplier, day range, number or phone",
    request: { query: PlatformOrdersQuery },
    responses: {
      200: jsonOk(PlatformOrderListSchema, "One page; pass nextCursor as cursor"),
      ...adminDenied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await platformOrders(c.env.DB, c.req.valid("query")), 200);
  },
);

platformOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders/{id}",
    tags: platformTags,
    summary: "One order with everything: shop, shopper, packages, selling and supply prices, timeline",
    request: { params: OrderParams },
    responses: {
      200: jsonOk(PlatformOrderSchema, "The order"),
      ...adminDenied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await platformOrder(c.env.DB, c.req.valid("param").id), 200);
  },
);
