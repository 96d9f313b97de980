// Renders a search document (docs/json-output.md): the hits as the text
// output shows them, the facets, the timeline and the pager. `nav` makes
// links to other states of the page (app.js).

import { el, appendHighlighted } from './text.js';
import { PAGE_SIZE, copiesParams } from './state.js';
import * as api from './api.js';

// The hit's date, source and path line, as `nsearch` prints it.
function metaLine(hit) {
  const meta = el('div', 'meta');
  const parts = [];
  if (hit.date) parts.push(el('time', 'date', hit.date.slice(0, 10)));
  if (hit.source) parts.push(el('span', 'source', hit.source));
  parts.push(el('span', 'path', hit.path));
  parts.forEach((part, i) => {
    if (i > 0) meta.appendChild(document.createTextNode(' · '));
    meta.appendChild(part);
  });
  return meta;
}

function hitItem(hit, state, nav, withCopies) {
  const item = el('li', 'hit');
  item.dataset.id = hit.id;
  const head = el('div', 'hit-head');
  head.appendChild(el('span', 'rank', hit.rank + '.'));
  const title = nav.link(hit.title || '(untitled)', { ...state, article: hit.id }, 'title');
  head.appendChild(title);
  item.appendChild(head);
  const meta = metaLine(hit);
  item.appendChild(meta);
  if (hit.snippet) {
    const snippet = el('p', 'snippet');
    appendHighlighted(snippet, hit.snippet, hit.highlights);
    item.appendChild(snippet);
  }
  if (withCopies && hit.similar > 0) {
    meta.appendChild(document.createTextNode(' · '));
    const button = el('button', 'similar', '+' + hit.similar + ' similar');
    button.type = 'button';
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', () => toggleCopies(item, button, hit, state, nav));
    meta.appendChild(button);
  }
  return item;
}

// Shows (fetching once) or hides the near-duplicates folded into `hit`.
async function toggleCopies(item, button, hit, state, nav) {
  let list = item.querySelector(':scope > ol.copies');
  if (list) {
    list.hidden = !list.hidden;
    button.setAttribute('aria-expanded', String(!list.hidden));
    return;
  }
  list = el('ol', 'copies');
  item.appendChild(list);
  button.disabled = true;
  try {
    const doc = await api.copies(hit.id, copiesParams(state));
    for (const copy of doc.hits) list.appendChild(hitItem(copy, state, nav, false));
    if (doc.hits.length === 0) list.appendChild(el('li', 'note', 'No copy matches any more.'));
    button.setAttribute('aria-expanded', 'true');
  } catch (error) {
    list.appendChild(el('li', 'error', error.message));
  } finally {
    button.disabled = false;
  }
}

export function renderHits(list, summary, doc, state, nav) {
  list.replaceChildren();
  list.start = doc.offset + 1;
  for (const hit of doc.hits) list.appendChild(hitItem(hit, state, nav, true));
  if (doc.hits.length === 0) {
    summary.textContent = doc.total > 0 ? 'No hits on this page.' : 'No matches.';
  } else {
    summary.textContent = (doc.offset + 1) + '–' + (doc.offset + doc.hits.length) + ' of ' +
      (doc.total_exact ? '' : 'about ') + doc.total + ' matches';
  }
}

const FACET_TITLES = { source: 'Source', year: 'Year', lang: 'Language' };
const FACET_SHOWN = 8;  // values shown before "more"

// Shows the values of a facet past the first FACET_SHOWN, or hides them again.
function moreButton(list, total) {
  const button = el('button', 'more', 'all ' + total + '…');
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    [...list.children].forEach((item, i) => { item.hidden = !open && i >= FACET_SHOWN; });
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? 'fewer' : 'all ' + total + '…';
  });
  return button;
}

// A facet value's filter: source and lang go into the query, a year into the dates.
function facetState(state, name, value) {
  const next = { ...state, page: 1, article: '' };
  if (name === 'year') {
    next.since = value;
    next.until = value;
  } else {
    next[name] = value;
  }
  return next;
}

export function renderFacets(container, doc, state, nav) {
  container.replaceChildren();
  for (const name of ['source', 'year', 'lang']) {
    const counts = (doc.facets && doc.facets[name]) || [];
    if (counts.length === 0) continue;
    const section = el('section', 'facet');
    section.dataset.facet = name;
    section.appendChild(el('h2', null, FACET_TITLES[name]));
    const list = el('ul');
    counts.forEach(({ value, count }, i) => {
      const item = el('li');
      item.hidden = i >= FACET_SHOWN;
      if (value === '') {
        const none = el('span', 'facet-value none', name === 'year' ? '(undated)' : '(none)');
        item.appendChild(none);
      } else {
        item.appendChild(nav.link(value, facetState(state, name, value), 'facet-value'));
      }
      item.appendChild(el('span', 'count', count));
      list.appendChild(item);
    });
    section.appendChild(list);
    if (counts.length > FACET_SHOWN) section.appendChild(moreButton(list, counts.length));
    container.appendChild(section);
  }
}

const UNIT_TITLES = { year: 'Matches per year', month: 'Matches per month', day: 'Matches per day' };

// A bar per period, its height the period's share of the largest; a click
// narrows the dates to the period.
export function renderTimeline(container, doc, state, nav) {
  container.replaceChildren();
  const timeline = doc.timeline;
  if (!timeline || timeline.periods.length === 0) {
    container.hidden = true;
    return;
  }
  container.hidden = false;
  container.appendChild(el('h2', null, UNIT_TITLES[timeline.unit] || 'Matches'));
  const max = Math.max(1, ...timeline.periods.map((p) => p.count));
  const bars = el('div', 'bars');
  bars.dataset.unit = timeline.unit;
  for (const { period, count } of timeline.periods) {
    const bar = nav.link('', { ...state, since: period, until: period, page: 1, article: '' }, 'bar');
    bar.dataset.period = period;
    bar.dataset.count = String(count);
    bar.title = period + ': ' + count;
    bar.setAttribute('aria-label', period + ': ' + count + ' matches');
    const fill = el('span', 'fill');
    // CSSOM, which the Content-Security-Policy allows (a style attribute it would not).
    fill.style.height = (count / max * 100).toFixed(1) + '%';
    bar.appendChild(fill);
    bars.appendChild(bar);
  }
  container.appendChild(bars);
  const axis = el('div', 'axis');
  axis.appendChild(el('span', null, timeline.periods[0].period));
  axis.appendChild(el('span', null, timeline.periods[timeline.periods.length - 1].period));
  container.appendChild(axis);
  if (timeline.undated > 0) container.appendChild(el('p', 'note', timeline.undated + ' undated'));
}

export function renderPager(nav_el, doc, state, nav) {
  nav_el.replaceChildren();
  const pages = Math.ceil(doc.total / PAGE_SIZE);
  if (pages <= 1) return;
  const page = state.page;
  const add = (label, target, className) => {
    if (target < 1 || target > pages || target === page) {
      nav_el.appendChild(el('span', className + (target === page ? ' current' : ' disabled'), label));
    } else {
      nav_el.appendChild(nav.link(label, { ...state, page: target }, className));
    }
  };
  add('‹ prev', page - 1, 'prev');
  const first = Math.max(1, Math.min(page - 4, pages - 8));
  for (let p = first; p <= Math.min(pages, first + 8); p++) add(String(p), p, 'page');
  add('next ›', page + 1, 'next');
}
