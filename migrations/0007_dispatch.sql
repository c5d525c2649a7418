CREATE TABLE `dispatch_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`dispatch_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`trigger` text DEFAULT 'queue' NOT NULL,
	`at_ms` integer NOT NULL,
	`status_code` integer,
	`latency_ms` integer NOT NULL,
	`outcome` text NOT NULL,
	`error` text,
	`response_excerpt` text
);
--> statement-breakpoint
CREATE INDEX `dispatch_attempts_dispatch` ON `dispatch_attempts` (`dispatch_id`,`at_ms`);--> statement-breakpoint
CREATE TABLE `dispatches` (
	`id` text PRIMARY KEY NOT NULL,
	`sub_order_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`delivered_at_ms` integer,
	`acknowledged_at_ms` integer,
	`failed_at_ms` integer,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dispatches_sub_order_supplier` ON `dispatches` (`sub_order_id`,`supplier_id`);--> statement-breakpoint
CREATE INDEX `dispatches_supplier` ON `dispatches` (`supplier_id`,`status`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `dispatches_merchant` ON `dispatches` (`merchant_id`,`status`);--> statement-breakpoint
CREATE TABLE `shipment_lines` (
	`shipment_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`shipment_id`, `order_line_id`)
);
--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`sub_order_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	`carrier_code` text NOT NULL,
	`tracking_number` text NOT NULL,
	`shipped_at_ms` integer NOT NULL,
	`delivered_at_ms` integer,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shipments_sub_order` ON `shipments` (`sub_order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_tracking` ON `shipments` (`carrier_code`,`tracking_number`,`sub_order_id`);--> statement-breakpoint
CREATE TABLE `supplier_endpoints` (
	`supplier_id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_expires_at_ms` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`disabled_reason` text,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tracking_events` (
	`id` text PRIMARY KEY NOT NULL,
	`shipment_id` text NOT NULL,
	`at_ms` integer NOT NULL,
	`description` text NOT NULL,
	`location` text,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tracking_events_shipment` ON `tracking_events` (`shipment_id`,`at_ms`);--> statement-breakpoint
ALTER TABLE `shop_settings` ADD `allow_reroute` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sub_orders` ADD `accepted_at_ms` integer;--> statement-breakpoint
ALTER TABLE `sub_orders` ADD `rejected_at_ms` integer;--> statement-breakpoint
ALTER TABLE `sub_orders` ADD `reject_reason` text;