CREATE TABLE `addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`shopper_id` text NOT NULL,
	`recipient_name` text NOT NULL,
	`phone` text NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`district` text NOT NULL,
	`detail` text NOT NULL,
	`postal_code` text,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted_at_ms` integer
);
--> statement-breakpoint
CREATE INDEX `addresses_shopper` ON `addresses` (`shopper_id`,`deleted_at_ms`);--> statement-breakpoint
CREATE TABLE `shipping_templates` (
	`supplier_id` text PRIMARY KEY NOT NULL,
	`mode` text DEFAULT 'flat' NOT NULL,
	`base_fen` integer DEFAULT 0 NOT NULL,
	`first_weight_grams` integer DEFAULT 1000 NOT NULL,
	`step_grams` integer DEFAULT 1000 NOT NULL,
	`step_fen` integer DEFAULT 0 NOT NULL,
	`free_over_fen` integer,
	`remote_surcharges` text DEFAULT '{}' NOT NULL,
	`updated_at_ms` integer NOT NULL
);
