/**
 * The site's script, on every page, loaded in the head so the reader's
 * theme is set before the page is first drawn (no flash of the other
 * theme). Once the page is parsed it adds the tools the header leaves room
 * for (`.site-tools`), which need JavaScript and so are not in the HTML:
 * search across the reports (its engine and index are loaded on first use)
 * and the theme control (the system's theme by default; a choice is kept in
 * localStorage). It also opens every `<details>` for printing. No inline
 * code, no <style>, no request beyond the site's own files: the site's
 * Content-Security-Policy holds, from a server or from disk.
 */

type Theme = 'light' | 'dark';

/** A search result as the search script returns it. */
interface SearchResult {
  readonly url: string;
  readonly page: string;
  readonly title: string;
  readonly excerpt: string;
}

type SearchEngine = (query: string) => SearchResult[];

interface SearchGlobals {
  tradeoffsSearch?: unknown;
  tradeoffsSearchEngine?: (payload: unknown) => SearchEngine;
}

const THEME_KEY = 'tradeoffs-theme';
const html = document.documentElement;
/** The site's root: this script is there. */
const siteRoot = new URL('.', (document.currentScript as HTMLScriptElement | null)?.src ?? location.href).href;

function storedTheme(): Theme | undefined {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined; // Storage refused (a private window, a file:// policy): the system's theme.
  }
}

function applyTheme(theme: Theme | undefined): void {
  if (theme) html.dataset.theme = theme;
  else delete html.dataset.theme;
}

applyTheme(storedTheme());

/** The theme control: the system's theme (the default), light or dark. */
function themeControl(): HTMLElement {
  const label = document.createElement('label');
  label.className = 'theme-control';
  const text = document.createElement('span');
  text.textContent = 'Theme';
  const select = document.createElement('select');
  for (const [value, name] of [
    ['', 'System'],
    ['light', 'Light'],
    ['dark', 'Dark'],
  ] as const) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = name;
    select.append(option);
  }
  select.value = storedTheme() ?? '';
  select.addEventListener('change', () => {
    const theme = select.value === 'light' || select.value === 'dark' ? select.value : undefined;
    try {
      if (theme) localStorage.setItem(THEME_KEY, theme);
      else localStorage.removeItem(THEME_KEY);
    } catch {
      // Not kept across pages, but applied to this one.
    }
    applyTheme(theme);
  });
  label.append(text, select);
  return label;
}

/** Load one of the site's scripts; resolves when it has run. */
function loadScript(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL(name, siteRoot).href;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error(`cannot load ${name}`)));
    document.head.append(script);
  });
}

let engine: Promise<SearchEngine> | undefined;

/** The search engine and the site's index, loaded on first use. */
function searchEngine(): Promise<SearchEngine> {
  engine ??= Promise.all([loadScript('search.js'), loadScript('search-index.js')]).then(() => {
    const globals = globalThis as SearchGlobals;
    if (!globals.tradeoffsSearchEngine || !globals.tradeoffsSearch) throw new Error('the search index did not load');
    return globals.tradeoffsSearchEngine(globals.tradeoffsSearch);
  });
  return engine;
}

/** Most results listed. */
const RESULT_LIMIT = 8;

/** The search box: results as the reader types, each a link to its section. */
function searchControl(): HTMLElement {
  const box = document.createElement('div');
  box.className = 'site-search';
  box.setAttribute('role', 'search');
  const input = document.createElement('input');
  input.type = 'search';
  input.placeholder = 'Search the reports';
  input.setAttribute('aria-label', 'Search the reports');
  input.autocomplete = 'off';
  input.setAttribute('aria-controls', 'search-results');
  const results = document.createElement('ol');
  results.id = 'search-results';
  results.className = 'search-results';
  results.hidden = true;
  const status = document.createElement('p');
  status.className = 'search-status visually-hidden';
  status.setAttribute('aria-live', 'polite');

  let latest = 0;
  const show = async (): Promise<void> => {
    const query = input.value.trim();
    const asked = ++latest;
    if (query === '') {
      results.replaceChildren();
      results.hidden = true;
      status.textContent = '';
      return;
    }
    let found: SearchResult[];
    try {
      found = (await searchEngine())(query).slice(0, RESULT_LIMIT);
    } catch (error) {
      console.warn('tradeoffs: search is not available', error);
      found = [];
    }
    if (asked !== latest) return; // A newer query is on its way.
    results.replaceChildren(...found.map(resultItem));
    if (found.length === 0) {
      const none = document.createElement('li');
      none.className = 'search-none';
      none.textContent = `Nothing found for “${query}”.`;
      results.append(none);
    }
    results.hidden = false;
    box.dataset.searched = query;
    status.textContent = `${found.length} result(s)`;
  };
  input.addEventListener('focus', () => void searchEngine().catch(() => undefined));
  input.addEventListener('input', () => void show());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      input.value = '';
      void show();
    } else if (event.key === 'Enter') {
      results.querySelector<HTMLAnchorElement>('a')?.click();
    } else if (event.key === 'ArrowDown') {
      results.querySelector<HTMLAnchorElement>('a')?.focus();
      event.preventDefault();
    }
  });
  results.addEventListener('keydown', (event) => {
    const links = [...results.querySelectorAll<HTMLAnchorElement>('a')];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'ArrowDown' && at >= 0) links[Math.min(at + 1, links.length - 1)]?.focus();
    else if (event.key === 'ArrowUp' && at > 0) links[at - 1]?.focus();
    else if (event.key === 'ArrowUp' && at === 0) input.focus();
    else if (event.key === 'Escape') input.focus();
    else return;
    event.preventDefault();
  });
  box.append(input, results, status);
  return box;
}

function resultItem(result: SearchResult): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = new URL(result.url, siteRoot).href;
  const title = document.createElement('span');
  title.className = 'search-result-title';
  title.textContent = result.title;
  link.append(title);
  if (result.title !== result.page) {
    const page = document.createElement('span');
    page.className = 'search-result-page';
    page.textContent = result.page;
    link.append(page);
  }
  const excerpt = document.createElement('span');
  excerpt.className = 'search-result-excerpt';
  excerpt.textContent = result.excerpt;
  link.append(excerpt);
  item.append(link);
  return item;
}

/** Print every `<details>` open (data tables, assumptions, the contents), as it was closed again after. */
function openDetailsForPrint(): void {
  let opened: HTMLDetailsElement[] = [];
  addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll<HTMLDetailsElement>('details:not([open])')];
    for (const details of opened) details.open = true;
  });
  addEventListener('afterprint', () => {
    for (const details of opened) details.open = false;
    opened = [];
  });
}

function addTools(): void {
  const tools = document.querySelector<HTMLElement>('.site-tools');
  if (tools) tools.replaceChildren(searchControl(), themeControl());
  openDetailsForPrint();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', addTools);
else addTools();
