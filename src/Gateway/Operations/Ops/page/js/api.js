// Every request of the page goes through api(): credentials are added in this one place.
// A 401 asks once for an API key (kept in sessionStorage, sent as X-Api-Key) and repeats the call.
const KEY_STORAGE = 'distribution.apiKey';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let pendingKey = null;

export async function api(path, { method = 'GET', body } = {}) {
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (key) headers['X-Api-Key'] = key;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (response.status === 401 && attempt < 3) {
      if (!(await askForKey())) throw new ApiError(401, { title: 'An API key is needed' });
      continue;
    }
    const text = await response.text();
    const data = text && (response.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : text || null;
    if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { title: data });
    return data;
  }
}

/** One prompt however many requests were refused at once; resolves true when a key was given. */
function askForKey() {
  pendingKey ??= new Promise((resolve) => {
    const dialog = document.getElementById('key-dialog');
    const input = document.getElementById('api-key');
    const done = (given) => {
      dialog.close();
      pendingKey = null;
      resolve(given);
    };
    document.getElementById('key-form').onsubmit = (e) => {
      e.preventDefault();
      sessionStorage.setItem(KEY_STORAGE, input.value.trim());
      input.value = '';
      done(true);
    };
    document.getElementById('key-cancel').onclick = () => done(false);
    dialog.oncancel = () => done(false);
    dialog.showModal();
    input.focus();
  });
  return pendingKey;
}
