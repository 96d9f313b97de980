// The saved searches (GET /api/saved), listed on the start page: each a
// link that runs it, with its count of articles new since its last
// `nsearch --new` check. Every string from the server goes in as text (el),
// never as HTML.

import { el } from './text.js';

// The page state that runs saved search `entry` from `base` (an empty
// state): its query, and the options the page has controls for.
export function savedState(entry, base) {
  const target = { ...base, q: entry.query, page: 1 };
  const parts = Array.isArray(entry.options) ? entry.options : [];
  for (let i = 0; i < parts.length; i++) {
    const part = String(parts[i]);
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name === '--any') target.any = true;
    else if (name === '--all') target.all = true;
    else if (name === '--sort') {
      const value = eq < 0 ? String(parts[i + 1] || '') : part.slice(eq + 1);
      if (value === 'newest' || value === 'oldest') target.sort = value;
    }
  }
  return target;
}

function newText(entry) {
  if (entry.new === null) return 'on another index';
  return entry.new + ' new';
}

// Fills `box` with the list of `doc` (an /api/saved answer); hidden when
// there is none. `nav.link` makes each link.
export function renderSaved(box, doc, nav, base) {
  box.replaceChildren();
  const entries = doc && Array.isArray(doc.saved) ? doc.saved : [];
  box.hidden = entries.length === 0;
  if (box.hidden) return;
  box.appendChild(el('h2', 'saved-title', 'Saved searches'));
  const list = el('ul', 'saved-list');
  for (const entry of entries) {
    const item = el('li', 'saved-item');
    if (typeof entry.query !== 'string' || entry.error) {
      item.appendChild(el('span', 'saved-name', '@' + entry.name));
      item.appendChild(el('span', 'saved-error', entry.error || 'cannot be read'));
    } else {
      const link = nav.link('@' + entry.name, savedState(entry, base), 'saved-name');
      link.title = entry.query;
      item.appendChild(link);
      item.appendChild(el('span', entry.new > 0 ? 'saved-new has-new' : 'saved-new', newText(entry)));
    }
    list.appendChild(item);
  }
  box.appendChild(list);
}
