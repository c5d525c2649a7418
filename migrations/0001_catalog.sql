CREATE TABLE `catalog_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`supplier_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`actor_type` text NOT NULL,
	`actor_id` text NOT NULL,
	`at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `catalog_changes_entity` ON `catalog_changes` (`supplier_id`,`entity_id`,`at_ms`);--> statement-breakpoint
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`parent_id` text,
	`level` integer NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL,
	`path` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `categories_parent` ON `categories` (`parent_id`,`sort`);--> statement-breakpoint
CREATE INDEX `categories_path` ON `categories` (`path`);--> statement-breakpoint
CREATE TABLE `import_errors` (
	`import_id` text NOT NULL,
	`row_number` integer NOT NULL,
	`column` text NOT NULL,
	`message` text NOT NULL,
	PRIMARY KEY(`import_id`, `row_number`, `column`)
);
--> statement-breakpoint
CREATE TABLE `imports` (
	`id` text PRIMARY KEY NOT NULL,
	`supplier_id` text NOT NULL,
	`file_key` text NOT NULL,
	`status` text NOT NULL,
	`total_rows` integer DEFAULT 0 NOT NULL,
	`processed_rows` integer DEFAULT 0 NOT NULL,
	`created_count` integer DEFAULT 0 NOT NULL,
	`updated_count` integer DEFAULT 0 NOT NULL,
	`error_count` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`finished_at_ms` integer
);
--> statement-breakpoint
CREATE INDEX `imports_supplier` ON `imports` (`supplier_id`,`created_at_ms`);--> statement-breakpoint
CREATE TABLE `product_images` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	`r2_key` text NOT NULL,
	`content_type` text NOT NULL,
	`alt` text DEFAULT '' NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `product_images_product` ON `product_images` (`product_id`,`sort`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`supplier_id` text NOT NULL,
	`category_id` text NOT NULL,
	`title_zh` text NOT NULL,
	`title_en` text,
	`description_zh` text DEFAULT '' NOT NULL,
	`description_en` text,
	`attributes` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`sales_count` integer DEFAULT 0 NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `products_supplier` ON `products` (`supplier_id`,`updated_at_ms`);--> statement-breakpoint
CREATE INDEX `products_pool` ON `products` (`status`,`category_id`);--> statement-breakpoint
CREATE TABLE `skus` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	`code` text NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`supply_price_fen` integer NOT NULL,
	`suggested_retail_fen` integer NOT NULL,
	`map_fen` integer,
	`weight_grams` integer DEFAULT 0 NOT NULL,
	`barcode` text,
	`stock` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skus_supplier_code` ON `skus` (`supplier_id`,`code`);--> statement-breakpoint
CREATE INDEX `skus_product` ON `skus` (`product_id`);--> statement-breakpoint
CREATE TABLE `supplier_grades` (
	`supplier_id` text PRIMARY KEY NOT NULL,
	`grade` text NOT NULL,
	`score_bps` integer NOT NULL,
	`on_time_bps` integer NOT NULL,
	`cancel_bps` integer NOT NULL,
	`refund_bps` integer NOT NULL,
	`price_index_bps` integer NOT NULL,
	`computed_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `supplier_metrics` (
	`supplier_id` text NOT NULL,
	`period` text NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`dispatched_on_time` integer DEFAULT 0 NOT NULL,
	`cancelled_or_out_of_stock` integer DEFAULT 0 NOT NULL,
	`refunded` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`supplier_id`, `period`)
);
--> statement-breakpoint
CREATE TABLE `listing_skus` (
	`listing_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`price_fen` integer NOT NULL,
	PRIMARY KEY(`listing_id`, `sku_id`)
);
--> statement-breakpoint
CREATE INDEX `listing_skus_sku` ON `listing_skus` (`sku_id`);--> statement-breakpoint
CREATE TABLE `listings` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`product_id` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`pause_reason` text,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `listings_merchant_product` ON `listings` (`merchant_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `listings_product` ON `listings` (`product_id`);--> statement-breakpoint
CREATE TABLE `platform_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shop_settings` (
	`merchant_id` text PRIMARY KEY NOT NULL,
	`template` text DEFAULT 'general' NOT NULL,
	`logo_key` text,
	`min_margin_bps` integer,
	`home_sections` text DEFAULT '[]' NOT NULL,
	`catalog_version` integer DEFAULT 1 NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `welfare_codes` (
	`merchant_id` text NOT NULL,
	`code` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`claimed_by_shopper_id` text,
	`claimed_at_ms` integer,
	PRIMARY KEY(`merchant_id`, `code`)
);
