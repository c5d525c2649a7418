CREATE TABLE `cart_lines` (
	`cart_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`listing_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`seen_price_fen` integer NOT NULL,
	`added_at_ms` integer NOT NULL,
	PRIMARY KEY(`cart_id`, `sku_id`)
);
--> statement-breakpoint
CREATE TABLE `carts` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`owner_type` text NOT NULL,
	`owner_id` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `carts_owner` ON `carts` (`merchant_id`,`owner_type`,`owner_id`);