import type {Root} from 'hast';
import {visitElements} from './visit-elements.js';

/**
 * Make a page's links work from disk (`file://`) as well as over HTTP: a
 * server answers `../calibration/` with its `index.html`, a browser opening
 * files shows the folder. Every link inside the site that names a folder
 * (`../calibration/`, `../calibration`, `/calibration/#sources`) is
 * rewritten to name its `index.html`, and a link from the site's root
 * (`/calibration/`) is made relative to the page (`rootPath`: `''` or
 * `'../'`), so the site works wherever it is served or opened from. Links
 * with a scheme (`https:`, `mailto:`), protocol-relative links and links
 * within the page (`#…`) are left as they are.
 */
export function fileSafeLinks(tree: Root, rootPath: string): void {
  visitElements(tree, (node) => {
    if (node.tagName !== 'a' && node.tagName !== 'area') return;
    const href = node.properties.href;
    if (typeof href === 'string') node.properties.href = fileSafeHref(href, rootPath);
  });
}

/** One link made to work from disk; the same link when it leaves the site or stays in the page. */
export function fileSafeHref(href: string, rootPath: string): string {
  if (href === '' || href.startsWith('#') || href.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  const match = /^([^?#]*)([?#].*)?$/.exec(href);
  let path = match?.[1] ?? href;
  const rest = match?.[2] ?? '';
  if (path.startsWith('/')) path = `${rootPath}${path.replace(/^\/+/, '')}`;
  if (path === '' || path === '.' || path === '..' || path.endsWith('/.') || path.endsWith('/..')) path = `${path}/`;
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (path.endsWith('/')) path = `${path}index.html`;
  else if (!last.includes('.')) path = `${path}/index.html`;
  // A link that was only "/" from the root page.
  if (path === '/index.html') path = 'index.html';
  return `${path}${rest}`;
}
