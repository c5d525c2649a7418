export * from "./catalog";
export * from "./checkout";
export * from "./dispatch";
export * from "./identity";
export * from "./orders";
export * from "./platform";
export * from "./storefront";
