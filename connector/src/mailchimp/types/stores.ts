import type {CollectionMeta, EcommerceAddress, Link} from './common.js';

/** POST /ecommerce/stores (required: id, list_id, name, currency_code). The store's list can never change. */
export interface StoreCreateRequest {
  id: string;
  list_id: string;
  name: string;
  currency_code: string;
  platform?: string;
  /** Must be unique within the account ("A store with the domain … already exists"). */
  domain?: string;
  /** True during the initial sync: automations (abandoned cart, order notifications) stay off. */
  is_syncing?: boolean;
  email_address?: string;
  money_format?: string;
  primary_locale?: string;
  timezone?: string;
  phone?: string;
  address?: EcommerceAddress;
}

/** PATCH /ecommerce/stores/{store_id}: all optional, list_id immutable. */
export type StoreUpdateRequest = Partial<Omit<StoreCreateRequest, 'id' | 'list_id'>>;

type AutomationState = {is_supported: boolean; id?: string; status?: 'save' | 'sending' | 'paused'};

export interface Store extends Omit<StoreCreateRequest, 'is_syncing'> {
  is_syncing: boolean;
  connected_site?: {site_foreign_id: string; site_script: {url: string; fragment: string}};
  automations?: {abandoned_cart?: AutomationState; abandoned_browse?: AutomationState};
  list_is_active?: boolean;
  created_at: string;
  updated_at: string;
  _links?: Link[];
}

export interface StoresCollection extends CollectionMeta {
  stores: Store[];
}
