CREATE TABLE `devpay_refunds` (
	`out_refund_no` text PRIMARY KEY NOT NULL,
	`prepay_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`refund_id` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `devpay_transactions` (
	`prepay_id` text PRIMARY KEY NOT NULL,
	`out_trade_no` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`description` text NOT NULL,
	`notify_url` text NOT NULL,
	`return_url` text NOT NULL,
	`state` text NOT NULL,
	`transaction_id` text,
	`refunded_fen` integer DEFAULT 0 NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`paid_at_ms` integer,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `order_events` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`sub_order_id` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`from_status` text,
	`to_status` text NOT NULL,
	`note` text,
	`at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_events_order` ON `order_events` (`order_id`,`at_ms`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`sub_order_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`listing_id` text NOT NULL,
	`product_id` text NOT NULL,
	`sku_code` text NOT NULL,
	`title_zh` text NOT NULL,
	`title_en` text,
	`options` text DEFAULT '{}' NOT NULL,
	`image_key` text,
	`quantity` integer NOT NULL,
	`unit_price_fen` integer NOT NULL,
	`supply_price_fen` integer NOT NULL,
	`weight_grams` integer DEFAULT 0 NOT NULL,
	`discount_fen` integer DEFAULT 0 NOT NULL,
	`refunded_quantity` integer DEFAULT 0 NOT NULL,
	`refunded_fen` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_lines_order` ON `order_lines` (`order_id`);--> statement-breakpoint
CREATE INDEX `order_lines_sub_order` ON `order_lines` (`sub_order_id`);--> statement-breakpoint
CREATE TABLE `order_sequences` (
	`day` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`merchant_id` text NOT NULL,
	`shopper_id` text NOT NULL,
	`status` text NOT NULL,
	`goods_fen` integer NOT NULL,
	`shipping_fen` integer NOT NULL,
	`discount_fen` integer DEFAULT 0 NOT NULL,
	`total_fen` integer NOT NULL,
	`refunded_fen` integer DEFAULT 0 NOT NULL,
	`address` text NOT NULL,
	`note` text,
	`hold_group_id` text NOT NULL,
	`payment_expires_at_ms` integer NOT NULL,
	`paid_at_ms` integer,
	`cancelled_at_ms` integer,
	`cancel_reason` text,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_number` ON `orders` (`number`);--> statement-breakpoint
CREATE INDEX `orders_shopper` ON `orders` (`shopper_id`,`merchant_id`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_merchant` ON `orders` (`merchant_id`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_payment_due` ON `orders` (`status`,`payment_expires_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_created` ON `orders` (`created_at_ms`);--> statement-breakpoint
CREATE TABLE `payment_notifications` (
	`provider` text NOT NULL,
	`notification_id` text NOT NULL,
	`received_at_ms` integer NOT NULL,
	PRIMARY KEY(`provider`, `notification_id`)
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`provider` text NOT NULL,
	`prepay_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`status` text NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`transaction_id` text,
	`paid_at_ms` integer,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payments_order` ON `payments` (`order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_prepay` ON `payments` (`provider`,`prepay_id`);--> statement-breakpoint
CREATE TABLE `refund_lines` (
	`refund_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	PRIMARY KEY(`refund_id`, `order_line_id`)
);
--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`sub_order_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	`shopper_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`photo_keys` text DEFAULT '[]' NOT NULL,
	`amount_fen` integer NOT NULL,
	`shipped` integer DEFAULT false NOT NULL,
	`decided_by_type` text,
	`decided_by_id` text,
	`decision_note` text,
	`provider_refund_id` text,
	`created_at_ms` integer NOT NULL,
	`decided_at_ms` integer,
	`completed_at_ms` integer
);
--> statement-breakpoint
CREATE INDEX `refunds_order` ON `refunds` (`order_id`);--> statement-breakpoint
CREATE INDEX `refunds_merchant` ON `refunds` (`merchant_id`,`status`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `refunds_supplier` ON `refunds` (`supplier_id`,`status`);--> statement-breakpoint
CREATE TABLE `sub_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`order_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	`status` text NOT NULL,
	`goods_fen` integer NOT NULL,
	`shipping_fen` integer NOT NULL,
	`discount_fen` integer DEFAULT 0 NOT NULL,
	`total_fen` integer NOT NULL,
	`supply_fen` integer NOT NULL,
	`refunded_fen` integer DEFAULT 0 NOT NULL,
	`paid_at_ms` integer,
	`dispatched_at_ms` integer,
	`shipped_at_ms` integer,
	`delivered_at_ms` integer,
	`completed_at_ms` integer,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sub_orders_number` ON `sub_orders` (`number`);--> statement-breakpoint
CREATE INDEX `sub_orders_order` ON `sub_orders` (`order_id`);--> statement-breakpoint
CREATE INDEX `sub_orders_supplier` ON `sub_orders` (`supplier_id`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `sub_orders_delivered` ON `sub_orders` (`status`,`delivered_at_ms`);