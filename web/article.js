// The article view: header fields, the whole text with every match of the
// query highlighted, and stepping from match to match.

import { el, appendHighlighted, urlNode } from './text.js';

let marks = [];
let current = -1;

const FIELD_LABELS = [
  ['date', 'Date'], ['source', 'Source'], ['author', 'Author'], ['url', 'URL'],
  ['language', 'Language'], ['path', 'File'], ['id', 'Id'],
];

function addField(list, label, valueNode) {
  list.appendChild(el('dt', null, label));
  const dd = el('dd');
  dd.appendChild(valueNode);
  list.appendChild(dd);
}

export function renderArticle(doc) {
  document.getElementById('article-title').textContent = doc.title || '(untitled)';
  const fields = document.getElementById('article-fields');
  fields.replaceChildren();
  for (const [key, label] of FIELD_LABELS) {
    const value = doc[key];
    if (typeof value !== 'string' || value === '') continue;
    if (key === 'id' && value === doc.path) continue;
    addField(fields, label, key === 'url' ? urlNode(value) : el('span', null, value));
  }
  // Fields beyond the usual ones (Section, ...), as the article names them.
  for (const [name, value] of Object.entries(doc.fields || {})) {
    addField(fields, name, el('span', null, typeof value === 'string' ? value : JSON.stringify(value)));
  }
  const text = document.getElementById('article-text');
  text.replaceChildren();
  marks = appendHighlighted(text, doc.text || '', doc.matches);
  marks.forEach((mark, i) => { mark.dataset.match = String(i + 1); });
  current = -1;
  updateCount();
}

function updateCount() {
  const count = document.getElementById('match-count');
  if (marks.length === 0) count.textContent = 'no matches';
  else count.textContent = (current < 0 ? '–' : current + 1) + ' / ' + marks.length;
  document.getElementById('prev-match').disabled = marks.length === 0;
  document.getElementById('next-match').disabled = marks.length === 0;
}

// Moves to the next (+1) or previous (-1) match, wrapping around.
export function step(delta) {
  if (marks.length === 0) return;
  if (current >= 0) marks[current].classList.remove('current');
  current = current < 0 ? (delta > 0 ? 0 : marks.length - 1) : (current + delta + marks.length) % marks.length;
  const mark = marks[current];
  mark.classList.add('current');
  mark.scrollIntoView({ block: 'center', behavior: 'auto' });
  updateCount();
}

export function clearArticle() {
  marks = [];
  current = -1;
  document.getElementById('article-text').replaceChildren();
  document.getElementById('article-fields').replaceChildren();
  document.getElementById('article-title').textContent = '';
}
