/** The page's routes: one per view, in the URL's hash (`#/tasks/ID`). */

/** A parsed route. */
export type Route =
  | { readonly view: 'overview' }
  | { readonly view: 'agents' }
  | { readonly view: 'frameworks' }
  | { readonly view: 'framework'; readonly id: string }
  | { readonly view: 'tasks' }
  | { readonly view: 'task'; readonly id: string }
  | { readonly view: 'offers' }
  | { readonly view: 'masters' }
  | { readonly view: 'events' }
  | { readonly view: 'unknown'; readonly hash: string };

/** The route of a location hash (`''` and `#/` are the overview). */
export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const [head = '', ...rest] = path.split('/');
  const id = rest.length > 0 ? safeDecode(rest.join('/')) : null;
  switch (head) {
    case '':
      return { view: 'overview' };
    case 'agents':
      return { view: 'agents' };
    case 'frameworks':
      return id ? { view: 'framework', id } : { view: 'frameworks' };
    case 'tasks':
      return id ? { view: 'task', id } : { view: 'tasks' };
    case 'offers':
      return { view: 'offers' };
    case 'masters':
      return { view: 'masters' };
    case 'events':
      return { view: 'events' };
    default:
      return { view: 'unknown', hash };
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The link to a task's page. */
export function taskHref(id: string): string {
  return `#/tasks/${encodeURIComponent(id)}`;
}

/** The link to a framework's page. */
export function frameworkHref(id: string): string {
  return `#/frameworks/${encodeURIComponent(id)}`;
}
