export * from "./catalog";
export * from "./checkout";
export * from "./identity";
export * from "./platform";
export * from "./storefront";
export * from "./orders";
export * from "./dispatch";
