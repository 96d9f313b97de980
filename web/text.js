// Building DOM from article strings. Every string that comes from an article
// is inserted as a text node, never parsed as HTML; a link is made only for
// an http(s) URL.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Splits `text` at [begin, end) byte ranges of its UTF-8 form, as the API
// gives highlights and matches, into [{text, match}] pieces in order.
// Ranges are sorted and merged first; ones outside the text are clipped.
export function splitAtByteRanges(text, ranges) {
  const bytes = encoder.encode(text);
  const sorted = (ranges || [])
    .map(([b, e]) => [Math.max(0, Math.min(b, bytes.length)), Math.max(0, Math.min(e, bytes.length))])
    .filter(([b, e]) => e > b)
    .sort((x, y) => x[0] - y[0]);
  const pieces = [];
  let pos = 0;
  for (const [b, e] of sorted) {
    const begin = Math.max(b, pos);
    if (e <= begin) continue;
    if (begin > pos) pieces.push({ text: decoder.decode(bytes.subarray(pos, begin)), match: false });
    pieces.push({ text: decoder.decode(bytes.subarray(begin, e)), match: true });
    pos = e;
  }
  if (pos < bytes.length) pieces.push({ text: decoder.decode(bytes.subarray(pos)), match: false });
  return pieces;
}

// Appends `text` to `parent` with each range in a <mark>; returns the marks.
export function appendHighlighted(parent, text, ranges) {
  const marks = [];
  for (const piece of splitAtByteRanges(text, ranges)) {
    if (piece.match) {
      const mark = document.createElement('mark');
      mark.textContent = piece.text;
      parent.appendChild(mark);
      marks.push(mark);
    } else {
      parent.appendChild(document.createTextNode(piece.text));
    }
  }
  return marks;
}

// An element of `tag` with `className` holding `text` as text.
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// `url` when it is an absolute http: or https: URL, else null: javascript:,
// data: and relative URLs never become links.
export function safeHttpUrl(url) {
  if (typeof url !== 'string' || url === '') return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
}

// A link to `url` when it is http(s), else the URL as plain text.
export function urlNode(url) {
  const href = safeHttpUrl(url);
  if (!href) return el('span', 'url', url);
  const a = el('a', 'url', url);
  a.href = href;
  a.rel = 'noopener noreferrer nofollow';
  a.target = '_blank';
  return a;
}
