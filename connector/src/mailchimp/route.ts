/**
 * Route templates as Mailchimp's reference writes them (`/lists/{list_id}/members/{subscriber_hash}`). Calls are
 * described by a template plus its parameters so that logs and metrics see the template, never an email address or
 * an id, and so that every path segment is encoded in one place.
 */
type ParamNames<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;

/** The parameters a template needs, by name: `RouteParams<'/lists/{list_id}'>` is `{list_id: string | number}`. */
export type RouteParams<T extends string> = {readonly [K in ParamNames<T>]: string | number};

export function expandRoute<T extends string>(template: T, params: RouteParams<T>): string {
  const values = params as Readonly<Record<string, string | number>>;
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') throw new Error(`route ${template}: missing parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
