// Every call goes through the same /api/v1 endpoints as curl, with the token the operator entered
// once (kept in sessionStorage: gone when the tab closes, never in a cookie).

const KEY = 'ferry.console.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An RFC 9457 problem (or a network failure shaped like one). */
export class Problem extends Error {
  constructor(status, body) {
    const problem = body && typeof body === 'object' ? body : {title: `HTTP ${status}`, detail: body ? String(body) : ''};
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function authHeaders(extra = {}) {
  const bearer = token.get();
  if (!bearer) throw new Problem(401, {title: 'No API token', detail: 'Enter an API token at the top of the page first.'});
  return {...extra, Authorization: `Bearer ${bearer}`};
}

/**
 * Calls the API. Resolves to {status, etag, data} (data null on 304); rejects with a Problem for
 * any other non-2xx answer.
 */
export async function call(path, {method = 'GET', body, headers = {}, signal} = {}) {
  const init = {method, headers: authHeaders({Accept: 'application/json', ...headers}), cache: 'no-store', signal};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Problem(0, {title: 'Ferry is unreachable', detail: String(e.message || e)});
  }
  const etag = response.headers.get('ETag');
  if (response.status === 304) return {status: 304, etag, data: null};
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  let data = text;
  if (type.includes('json') && text) {
    try { data = JSON.parse(text); } catch { /* keep the text */ }
  }
  if (!response.ok) throw new Problem(response.status, data);
  return {status: response.status, etag, data};
}

export const get = (path, options) => call(path, options).then((r) => r.data);
export const post = (path, body) => call(path, {method: 'POST', body}).then((r) => r.data);
