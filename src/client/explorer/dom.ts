/**
 * Making elements without markup: every text goes in as text (never as
 * HTML), so no string of the data or the address can become markup, and no
 * inline style or handler is written (the site's Content-Security-Policy
 * allows neither).
 */

type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;
export type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'className') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** An id made of a path, safe in selectors and ids: letters, digits and hyphens. */
export function idOf(prefix: string, path: ReadonlyArray<string | number>): string {
  return `${prefix}-${path.map((segment) => String(segment).replace(/[^A-Za-z0-9]+/g, '_')).join('-')}`;
}
