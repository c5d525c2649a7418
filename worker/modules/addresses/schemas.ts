import { z } from "@hono/zod-openapi";
import { PhoneSchema } from "../shoppers/schemas";
import { PROVINCES } from "./regions";

/** A shopper keeps at most this many live addresses; more is 409 `address_book_full`. */
export const MAX_ADDRESSES = 20;

export const ProvinceSchema = z
  .enum(PROVINCES, { error: "Choose one of the 34 provincial-level divisions by its official name, e.g. 北京市" })
  .openapi({ example: "浙江省" });

const Place = z.string().trim().min(1).max(20);

export const AddressId = z.string().regex(/^adr_[0-9A-Za-z_]{1,60}$/, "Not an adr_ id");
export const AddressParams = z.object({ id: AddressId });

const addressFields = {
  recipientName: z.string().trim().min(1).max(30).openapi({ example: "张三" }),
  phone: PhoneSchema,
  province: ProvinceSchema,
  city: Place.openapi({ example: "杭州市" }),
  district: Place.openapi({ example: "西湖区" }),
  detail: z.string().trim().min(2).max(120).openapi({ example: "文三路 90 号 3 幢 201 室" }),
  postalCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "A postal code has 6 digits")
    .nullable()
    .optional()
    .openapi({ description: "Omitted or null: none" }),
};

export const CreateAddressBody = z
  .strictObject({
    ...addressFields,
    isDefault: z.boolean().optional().openapi({ description: "Make it the default; the first address always is" }),
  })
  .openapi("AddressInput");
export type CreateAddressInput = z.infer<typeof CreateAddressBody>;

/** A full replacement of the address's fields; which address is the default changes only through its own route. */
export const UpdateAddressBody = z.strictObject(addressFields).openapi("AddressUpdate");
export type UpdateAddressInput = z.infer<typeof UpdateAddressBody>;

export const AddressSchema = z
  .object({
    id: z.string().openapi({ example: "adr_0mfz3k1q2a9Xb7cD" }),
    recipientName: z.string(),
    phone: z.string(),
    province: z.string(),
    city: z.string(),
    district: z.string(),
    detail: z.string(),
    postalCode: z.string().nullable(),
    isDefault: z.boolean(),
    createdAtMs: z.number().int(),
    updatedAtMs: z.number().int(),
  })
  .openapi("Address");
export type AddressView = z.infer<typeof AddressSchema>;

export const AddressListSchema = z
  .object({
    items: z.array(AddressSchema).openapi({ description: "The default first, then newest first" }),
    max: z.number().int().openapi({ description: "How many addresses a shopper may keep" }),
  })
  .openapi("AddressBook");
