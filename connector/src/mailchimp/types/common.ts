/** Shapes shared by every Mailchimp resource (OpenAPI 3.0.76; mailchimp-api.md §1.4). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Read-only hypermedia links on every resource. */
export interface Link {
  rel: string;
  href: string;
  method: HttpMethod | 'OPTIONS' | 'HEAD';
  targetSchema?: string;
  schema?: string;
}

/** `fields` / `exclude_fields`: comma-separated, dot notation for sub-objects (`members.email_address`). */
export interface FieldSelection {
  fields?: readonly string[];
  excludeFields?: readonly string[];
}

/** `count` (default 10, max 1000) and `offset` (records to skip). */
export interface PageParams {
  count?: number;
  offset?: number;
}

export interface CollectionMeta {
  total_items: number;
  _links?: Link[];
}

/** Address as e-commerce stores and customers carry it. */
export interface EcommerceAddress {
  address1?: string;
  address2?: string;
  city?: string;
  province?: string;
  province_code?: string;
  postal_code?: string;
  country?: string;
  country_code?: string;
  longitude?: number;
  latitude?: number;
}

/** Shipping/billing address of orders. */
export interface OrderAddress extends EcommerceAddress {
  name?: string;
  phone?: string;
  company?: string;
}

/** GET /ping */
export interface PingResponse {
  health_status: string;
}
