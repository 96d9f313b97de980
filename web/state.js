// The page's state lives in the URL's query string, so a search can be
// bookmarked and shared and the back button returns to it. This module
// reads and writes that state and turns it into API requests.

export const PAGE_SIZE = 10;

// Fields of the state as URL parameters, with their defaults (left out of
// the URL when they have them).
const DEFAULTS = {
  q: '', any: false, all: false, sort: 'relevance', source: '', lang: '',
  since: '', until: '', page: 1, article: '', like: '',
};

export function parseState(search) {
  const params = new URLSearchParams(search);
  const state = { ...DEFAULTS };
  for (const key of ['q', 'source', 'lang', 'since', 'until', 'article', 'like']) {
    state[key] = params.get(key) || '';
  }
  state.any = params.get('any') === '1';
  state.all = params.get('all') === '1';
  const sort = params.get('sort');
  state.sort = sort === 'newest' || sort === 'oldest' ? sort : 'relevance';
  const page = Number.parseInt(params.get('page') || '1', 10);
  state.page = Number.isFinite(page) && page > 0 ? page : 1;
  return state;
}

export function stateToSearch(state) {
  const params = new URLSearchParams();
  for (const [key, fallback] of Object.entries(DEFAULTS)) {
    const value = state[key];
    if (value === fallback || value === undefined) continue;
    params.set(key, typeof value === 'boolean' ? '1' : String(value));
  }
  const text = params.toString();
  return text ? '?' + text : '';
}

// Whether the state asks for a search at all: dates alone are no query.
export function hasSearch(state) {
  return state.q.trim() !== '' || state.like !== '' || state.source !== '' || state.lang !== '';
}

// The query as typed with an unclosed quote or bracket closed, as the
// query parser would close it at the end, so that a filter can follow it.
function balanced(query) {
  let quoted = false;
  let depth = 0;
  for (const c of query) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && depth > 0) depth--;
  }
  return query + (quoted ? '"' : '') + ')'.repeat(depth);
}

// The filter terms the facets add to the query: the language, a boolean
// field. The source goes as its own parameter, matched whole (the source:
// field matches its words, so "Reuters" would also find "Reuters
// Breakingviews", which the facet counts apart).
function filterTerms(state) {
  const terms = [];
  if (state.lang) terms.push('lang:' + state.lang.replace(/[\s"()]/g, ''));
  return terms;
}

// The query sent to the server: the typed query AND the facet filters. AND
// is spelt out because with `any` the words and the filter terms would
// otherwise be OR-ed.
export function composedQuery(state) {
  const typed = state.q.trim();
  const terms = filterTerms(state);
  if (terms.length === 0) return typed;
  const parts = typed ? ['(' + balanced(typed) + ')', ...terms] : terms;
  return parts.join(' AND ');
}

// The typed query back from a query composedQuery made (for "did you
// mean", which rewrites the whole query sent), or null when it is not one.
export function typedFromComposed(state, composed) {
  const terms = filterTerms(state);
  if (terms.length === 0) return composed;
  const suffix = terms.map((t) => ' AND ' + t).join('');
  if (!composed.startsWith('(') || !composed.endsWith(')' + suffix)) return null;
  return composed.slice(1, composed.length - suffix.length - 1);
}

// The timeline's period: months within one year, days within one month.
export function timelineUnit(state) {
  const { since, until } = state;
  if (since && until && since.length >= 7 && since.slice(0, 7) === until.slice(0, 7)) return 'day';
  if (since && until && since.slice(0, 4) === until.slice(0, 4)) return 'month';
  return 'year';
}

export function searchParams(state) {
  const params = new URLSearchParams();
  params.set('q', composedQuery(state));
  params.set('n', String(PAGE_SIZE));
  params.set('offset', String((state.page - 1) * PAGE_SIZE));
  if (state.any) params.set('any', '1');
  if (state.all) params.set('all', '1');
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.since) params.set('since', state.since);
  if (state.until) params.set('until', state.until);
  if (state.source) params.set('source', state.source);
  if (state.like) params.set('like', state.like);
  params.set('facets', 'source,year,lang');
  params.set('timeline', timelineUnit(state));
  return params;
}

// The parameters of /api/copies for the hits of `state`'s search.
export function copiesParams(state) {
  const params = new URLSearchParams();
  params.set('q', composedQuery(state));
  params.set('n', '100');
  if (state.any) params.set('any', '1');
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.since) params.set('since', state.since);
  if (state.until) params.set('until', state.until);
  if (state.source) params.set('source', state.source);
  return params;
}
