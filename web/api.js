// Calls to the JSON API (docs/http-api.md). Each resolves to the parsed
// document or throws an ApiError carrying the server's one-line message.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function getJson(path, params, signal) {
  const response = await fetch(path + '?' + params.toString(), { signal, headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.error === 'string' ? body.error : 'HTTP ' + response.status;
    throw new ApiError(message, response.status);
  }
  if (body === null) throw new ApiError('the server sent no JSON', response.status);
  return body;
}

export function search(params, signal) {
  return getJson('api/search', params, signal);
}

// `query` marks its matches in the text; `any` reads it as with --any.
export function article(id, query, any, signal) {
  const params = new URLSearchParams({ id });
  if (query) params.set('q', query);
  if (query && any) params.set('any', '1');
  return getJson('api/article', params, signal);
}

// `params`: the search's own (q, any, since, until, source), so that the copies are
// those its "+N similar" counted.
export function copies(id, params, signal) {
  const all = new URLSearchParams(params);
  all.set('id', id);
  return getJson('api/copies', all, signal);
}

export function info(signal) {
  return getJson('api/info', new URLSearchParams(), signal);
}

// The saved searches, each with its count of new articles (never moves a mark).
export function saved(signal) {
  return getJson('api/saved', new URLSearchParams(), signal);
}
