// nsearch's page: a search box over the JSON API, results, facets, a
// timeline and an article view. The URL holds the whole state (state.js);
// every change of state is a history entry, and popstate re-renders it.

import { parseState, stateToSearch, hasSearch, searchParams, typedFromComposed } from './state.js';
import * as api from './api.js';
import { renderHits, renderFacets, renderTimeline, renderPager } from './results.js';
import { renderArticle, clearArticle, step } from './article.js';
import { el } from './text.js';
import { renderSaved } from './saved.js';

const $ = (id) => document.getElementById(id);
let state = parseState(location.search);
let inflight = null;  // the AbortController of the request being answered

function urlFor(target) {
  return location.pathname + stateToSearch(target);
}

// Links are real links (they open in a new tab), but a plain click changes
// the state in place.
const nav = {
  link(text, target, className) {
    const a = el('a', className, text);
    a.href = urlFor(target);
    a.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(target);
    });
    return a;
  },
};

// A new history entry for `target`, unless it is the state shown (then it is shown again).
function navigate(target) {
  const fromSearch = !state.article && Boolean(target.article);
  const url = urlFor(target);
  if (url !== location.pathname + location.search) history.pushState({ fromSearch }, '', url);
  show(parseState(location.search));
  if (target.article) window.scrollTo(0, 0);
}

// A fresh AbortController, aborting the one before: only the last request's answer is shown.
// The page is aria-busy until that answer is shown.
function newRequest() {
  if (inflight) inflight.abort();
  inflight = new AbortController();
  document.body.setAttribute('aria-busy', 'true');
  return inflight;
}

// data-shown: the URL whose state is on screen.
function done(request) {
  if (request !== inflight) return;
  document.body.dataset.shown = location.search;
  document.body.setAttribute('aria-busy', 'false');
}

function showError(message) {
  const error = $('error');
  error.textContent = message;
  error.hidden = message === '';
}

function syncControls() {
  if ($('q').value !== state.q) $('q').value = state.q;
  $('any').checked = state.any;
  $('all').checked = state.all;
  $('sort').value = state.sort;
}

function show(next) {
  state = next;
  syncControls();
  showError('');
  const inArticle = Boolean(state.article);
  $('search-view').hidden = inArticle;
  $('article-view').hidden = !inArticle;
  if (inArticle) showArticle();
  else showSearch();
}

function clearResults() {
  for (const id of ['hits', 'facets', 'timeline', 'pager']) $(id).replaceChildren();
  $('summary').textContent = '';
  $('suggestion').hidden = true;
  $('side').hidden = true;
}

// The active filters as chips, each with a link that removes it.
function renderFilters() {
  const box = $('filters');
  box.replaceChildren();
  const chip = (label, value, without) => {
    const span = el('span', 'chip');
    span.appendChild(el('span', 'chip-label', label + ': '));
    span.appendChild(el('span', 'chip-value', value));
    const remove = nav.link('×', { ...state, ...without, page: 1 }, 'chip-remove');
    remove.title = 'Remove this filter';
    remove.setAttribute('aria-label', 'Remove ' + label + ' filter');
    span.appendChild(remove);
    box.appendChild(span);
  };
  if (state.source) chip('source', state.source, { source: '' });
  if (state.lang) chip('language', state.lang, { lang: '' });
  if (state.since || state.until) {
    const range = state.since === state.until ? state.since : (state.since || '…') + ' – ' + (state.until || '…');
    chip('dates', range, { since: '', until: '' });
  }
  if (state.like) {
    chip('like', state.like, { like: '' });
    showLikeTitle(box.lastElementChild.querySelector('.chip-value'), state.like);
  }
  box.hidden = box.childElementCount === 0;
}

// The title of the article a "more like this" search starts from, in place of its id.
async function showLikeTitle(node, id) {
  try {
    const doc = await api.article(id, '', false);
    if (doc.title) node.textContent = doc.title;
  } catch {
    // The id stays: the search itself reports an unknown article.
  }
}

function renderSuggestion(doc) {
  const box = $('suggestion');
  if (!doc.suggestion) {
    box.hidden = true;
    return;
  }
  const typed = typedFromComposed(state, doc.suggestion);
  const target = typed === null ? { ...state, q: doc.suggestion, source: '', lang: '', page: 1 } : { ...state, q: typed, page: 1 };
  const link = nav.link(target.q, target, null);
  link.id = 'suggestion-link';
  $('suggestion-link').replaceWith(link);
  box.hidden = false;
}

async function showSearch() {
  clearArticle();
  renderFilters();
  document.title = state.q ? state.q + ' – nsearch' : 'nsearch';
  const request = newRequest();
  if (!hasSearch(state)) {
    clearResults();
    try {
      const doc = await api.info(request.signal);
      $('summary').textContent = doc.articles + ' articles in the index. Type a query above.';
    } catch (error) {
      if (error.name !== 'AbortError') $('summary').textContent = error.message;
    }
    try {
      renderSaved($('saved'), await api.saved(request.signal), nav, parseState(''));
    } catch {
      $('saved').hidden = true;  // the page works without the list
    }
    done(request);
    return;
  }
  $('saved').hidden = true;
  $('summary').textContent = 'Searching…';
  try {
    const doc = await api.search(searchParams(state), request.signal);
    renderHits($('hits'), $('summary'), doc, state, nav);
    renderFacets($('facets'), doc, state, nav);
    renderTimeline($('timeline'), doc, state, nav);
    renderPager($('pager'), doc, state, nav);
    renderSuggestion(doc);
    $('side').hidden = doc.total === 0;
  } catch (error) {
    if (error.name === 'AbortError') return;
    clearResults();
    showError(error.message);
  }
  done(request);
}

async function showArticle() {
  const request = newRequest();
  clearArticle();
  $('match-count').textContent = '';
  $('article-title').textContent = 'Loading…';
  try {
    const doc = await api.article(state.article, state.q, state.any, request.signal);
    renderArticle(doc);
    document.title = (doc.title || '(untitled)') + ' – nsearch';
  } catch (error) {
    if (error.name === 'AbortError') return;
    $('article-title').textContent = '';
    showError(error.message);
  }
  done(request);
}

function backToResults() {
  if (history.state && history.state.fromSearch) history.back();
  else navigate({ ...state, article: '' });
}

// Reads the box and the toggles into a new search (page 1).
function searchFromControls() {
  navigate({
    ...state, q: $('q').value, any: $('any').checked, all: $('all').checked, sort: $('sort').value,
    page: 1, article: '',
  });
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement;
  if (typing) {
    if (event.key === 'Escape' && target === $('q')) target.blur();
    return;
  }
  if (event.key === '/') {
    event.preventDefault();
    $('q').focus();
    $('q').select();
  } else if (!state.article) {
    return;
  } else if (event.key === 'n') {
    step(1);
  } else if (event.key === 'p') {
    step(-1);
  } else if (event.key === 'Escape') {
    backToResults();
  }
}

function start() {
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    searchFromControls();
  });
  for (const id of ['any', 'all', 'sort']) $(id).addEventListener('change', searchFromControls);
  $('home').addEventListener('click', (event) => {
    event.preventDefault();
    navigate(parseState(''));
  });
  $('back').addEventListener('click', backToResults);
  $('next-match').addEventListener('click', () => step(1));
  $('prev-match').addEventListener('click', () => step(-1));
  $('more-like').addEventListener('click', () => navigate({ ...parseState(''), like: state.article }));
  document.addEventListener('keydown', onKey);
  window.addEventListener('popstate', () => show(parseState(location.search)));
  show(state);
  if (!state.article) $('q').focus();
}

start();
