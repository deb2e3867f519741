import type {CollectionMeta, Link} from './common.js';

export type MergeFieldType =
  'text' | 'number' | 'address' | 'phone' | 'date' | 'url' | 'imageurl' | 'radio' | 'dropdown' | 'birthday' | 'zip';

export interface MergeFieldOptions {
  default_country?: number;
  phone_format?: string;
  date_format?: string;
  choices?: string[];
  size?: number;
}

/** POST /lists/{list_id}/merge-fields (required: name, type). */
export interface MergeFieldCreateRequest {
  name: string;
  type: MergeFieldType;
  tag?: string;
  required?: boolean;
  default_value?: string;
  public?: boolean;
  display_order?: number;
  options?: Omit<MergeFieldOptions, 'size'> & {size?: number};
  help_text?: string;
}

export interface MergeField {
  merge_id: number;
  tag: string;
  name: string;
  type: MergeFieldType;
  required: boolean;
  default_value: string;
  public: boolean;
  display_order: number;
  options?: MergeFieldOptions;
  help_text?: string;
  list_id: string;
  _links?: Link[];
}

export interface MergeFieldsCollection extends CollectionMeta {
  merge_fields: MergeField[];
  list_id: string;
}
