// Rendezvous console: plain DOM code, no framework. Secrets (API key, callback token) live only in
// the page's inputs; they are sent in Authorization headers, never in a URL, and every displayed
// curl command names them $API_KEY and $TOKEN. Everything the service answers is shown as text.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const TERMINAL = ['completed', 'failed', 'cancelled', 'expired'];
  const JSON_TYPE = 'application/json';
  let watch = null; // the correlation being watched: {id, controller, timer, last}

  const url = (path) => new URL(path, document.baseURI).href;
  const corrPath = (id) => 'v1/correlations/' + encodeURIComponent(id).replace(/%3A/gi, ':');
  // With API keys on, workers address a correlation by its stored ID (from the create answer's links).
  const storedIds = new Map();
  const workerPath = (id) => corrPath(storedIds.get(id) || id);
  function rememberStoredId(status) {
    const worker = status.links && /\/v1\/correlations\/([^/]+)\/failure$/.exec(new URL(status.links.failure).pathname);
    if (worker) storedIds.set(status.id, decodeURIComponent(worker[1]));
  }
  const apiKey = () => $('api-key').value.trim();
  const clientAuth = () => (apiKey() ? { secret: apiKey(), name: 'API_KEY' } : null);
  const workerAuth = () => ({ secret: $('token').value.trim(), name: 'TOKEN' });
  const shellQuote = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";
  const integerOrText = (s) => (/^\d+$/.test(s) ? Number(s) : s);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The curl command for a request; a secret appears only as the name of a shell variable. */
  function curlOf(method, path, { auth, type, body } = {}) {
    const parts = ['curl -i ' + (method === 'GET' ? '' : '-X ' + method + ' ') + shellQuote(url(path))];
    if (auth) parts.push('-H "Authorization: Bearer $' + auth.name + '"');
    if (type) parts.push('-H ' + shellQuote('Content-Type: ' + type));
    if (body !== undefined) parts.push('--data-binary ' + shellQuote(body));
    return parts.join(' \\\n     ');
  }

  function headersOf(auth, extra) {
    const headers = Object.assign({}, extra);
    if (auth && auth.secret) headers.Authorization = 'Bearer ' + auth.secret;
    return headers;
  }

  /** A problem+json answer as "title (status): detail"; any other error as its status. */
  function problemOf(res, body) {
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('problem+json')) {
      try {
        const p = JSON.parse(body);
        return (p.title || 'Error') + ' (' + (p.status || res.status) + ')' + (p.detail ? ': ' + p.detail : '');
      } catch (e) { /* not JSON after all: fall through */ }
    }
    return res.ok ? null : 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : '');
  }

  function describe(res, body) {
    const lines = ['HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : '')];
    for (const name of ['Content-Type', 'Location', 'Retry-After', 'Preference-Applied']) {
      const value = res.headers.get(name);
      if (value) lines.push(name + ': ' + value);
    }
    return lines.join('\n') + (body ? '\n\n' + body : '');
  }

  /** Shows an action's outcome: a problem (if any), its curl equivalent, and the answer as text. */
  function render(out, { command, response, problem, note }) {
    const parts = [];
    if (problem) {
      const alert = el('p', 'problem', problem);
      alert.setAttribute('role', 'alert');
      parts.push(alert);
    }
    if (note) parts.push(el('p', 'note', note));
    if (command) parts.push(el('p', 'label', 'curl equivalent'), el('pre', 'curl', command));
    if (response !== undefined) parts.push(el('p', 'label', 'Response'), el('pre', 'response', response));
    out.replaceChildren(...parts);
  }

  /** Sends one request and shows it; redact() hides secrets that the answer itself carries. */
  async function act(out, method, path, { auth, type, body, redact } = {}) {
    if (auth && !auth.secret) {
      render(out, { problem: 'Enter the callback token first (it is filled in when you create a correlation here).' });
      return null;
    }
    const command = curlOf(method, path, { auth, type, body });
    render(out, { command, response: 'Waiting for the answer…' });
    try {
      const headers = headersOf(auth, type ? { 'Content-Type': type } : {});
      const res = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'omit' });
      const text = await res.text();
      const shown = redact ? redact(text) : text;
      render(out, { command, response: describe(res, shown), problem: problemOf(res, shown) });
      return { res, text };
    } catch (e) {
      render(out, { command, problem: 'The request failed: ' + e.message });
      return null;
    }
  }

  // ---- watching: Server-Sent Events over fetch (so an API key can be sent), else polling ----

  function setMode(text, live) {
    $('live-mode').textContent = text;
    $('live-mode').dataset.live = live ? 'yes' : 'no';
  }

  /** Shows a status document; answers whether its state is final. */
  function showStatus(w, eventName, status) {
    if (watch !== w) return false;
    const state = status.state || eventName;
    rememberStoredId(status);
    $('state').textContent = state;
    $('state').dataset.state = state;
    const facts = [];
    if (status.expiresAt) facts.push('expires at ' + status.expiresAt);
    if (status.completedAt) facts.push('settled at ' + status.completedAt);
    if (status.lastHeartbeat) facts.push('last heartbeat ' + JSON.stringify(status.lastHeartbeat));
    $('expires').textContent = facts.join('; ');
    const entry = new Date().toLocaleTimeString() + '  ' + eventName + (state !== eventName ? ' (' + state + ')' : '');
    $('event-log').append(el('li', '', entry));
    return TERMINAL.includes(eventName) || TERMINAL.includes(state);
  }

  function stopWatch() {
    if (!watch) return;
    watch.controller.abort();
    clearTimeout(watch.timer);
    watch = null;
  }

  function startWatch(id) {
    stopWatch();
    const w = (watch = { id, controller: new AbortController(), timer: 0, last: null });
    $('event-log').replaceChildren();
    $('state').textContent = 'connecting…';
    $('state').dataset.state = '';
    $('expires').textContent = '';
    $('watch-out').replaceChildren();
    streamEvents(w);
  }

  async function streamEvents(w) {
    let res;
    try {
      res = await fetch(corrPath(w.id) + '/events', {
        headers: headersOf(clientAuth(), { Accept: 'text/event-stream' }),
        signal: w.controller.signal, cache: 'no-store', credentials: 'omit',
      });
    } catch (e) {
      if (watch === w) poll(w);
      return;
    }
    if (!res.ok || !(res.headers.get('Content-Type') || '').startsWith('text/event-stream') || !res.body) {
      res.body && res.body.cancel().catch(() => {});
      if (watch === w) poll(w);
      return;
    }
    setMode('live (Server-Sent Events)', true);
    const final = await readEvents(w, res.body);
    if (watch !== w) return;
    if (final) {
      setMode('live (Server-Sent Events); the stream ended at a final state', true);
    } else {
      setMode('stream interrupted; reconnecting…', false);
      w.timer = setTimeout(() => streamEvents(w), 2000);
    }
  }

  /** A tiny SSE parser (event and data fields; comments ignored). Answers whether a final state came. */
  async function readEvents(w, body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '', name = '', data = [], final = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return final;
        buffer += value;
        const cut = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length; // \r\n may be split
        const lines = buffer.slice(0, cut).split(/\r\n|\r|\n/);
        buffer = lines.pop() + buffer.slice(cut);
        for (const line of lines) {
          if (line === '') {
            if (data.length) {
              try {
                final = showStatus(w, name || 'message', JSON.parse(data.join('\n'))) || final;
              } catch (e) { /* not a status document: ignore */ }
            }
            name = '';
            data = [];
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') name = value;
            else if (field === 'data') data.push(value);
          }
        }
      }
    } catch (e) {
      return final; // aborted or cut off
    }
  }

  /** Without an event stream: read the status every 2 s until a final state or an error. */
  async function poll(w) {
    setMode('live updates unavailable; polling every 2 s', false);
    while (watch === w) {
      try {
        const res = await fetch(corrPath(w.id), {
          headers: headersOf(clientAuth()), signal: w.controller.signal, cache: 'no-store', credentials: 'omit',
        });
        const text = await res.text();
        if (res.ok) {
          const status = JSON.parse(text);
          const seen = status.state + ' ' + JSON.stringify(status.lastHeartbeat || null);
          if (seen !== w.last) {
            const event = w.last && status.state === 'pending' ? 'heartbeat' : status.state;
            w.last = seen;
            if (showStatus(w, event, status)) return;
          }
        } else if (res.status < 500) {
          $('state').textContent = res.status === 404 ? 'unknown or expired' : 'not readable';
          $('state').dataset.state = 'gone';
          render($('watch-out'), { problem: problemOf(res, text) });
          setMode('stopped', false);
          return;
        }
      } catch (e) {
        if (w.controller.signal.aborted) return;
      }
      await new Promise((resume) => (w.timer = setTimeout(resume, 2000)));
    }
  }

  // ---- the actions ----

  /** On submit: handler(id, out) if a correlation ID is entered, else a hint in out. */
  function on(formId, outId, handler) {
    $(formId).addEventListener('submit', (event) => {
      event.preventDefault();
      const id = $('corr-id').value.trim();
      if (id) handler(id, $(outId));
      else render($(outId), { problem: 'Enter a correlation ID first, or create one.' });
    });
  }

  $('create-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = {};
    const id = $('create-id').value.trim();
    const ttl = $('create-ttl').value.trim();
    if (id) request.id = id;
    if (ttl) request.ttl = integerOrText(ttl);
    let token = null;
    const redact = (text) => {
      try {
        const created = JSON.parse(text);
        token = created.callbackToken || null;
        for (const secret of [created.callbackToken, created.signingSecret]) {
          if (secret) text = text.split(secret).join(secret === token ? '$TOKEN' : '$SIGNING_SECRET');
        }
      } catch (e) { /* a problem document carries no secret */ }
      return text;
    };
    const answer = await act($('create-out'), 'POST', 'v1/correlations', {
      auth: clientAuth(), type: JSON_TYPE, body: JSON.stringify(request), redact,
    });
    if (answer && answer.res.status === 201) {
      const created = JSON.parse(answer.text);
      $('corr-id').value = created.id;
      rememberStoredId(created);
      $('token').value = token;
      $('create-out').prepend(el('p', 'note', 'The callback token is in the token field below (shown once by the service).'));
      startWatch(created.id);
    }
  });

  on('watch-form', 'watch-out', (id) => startWatch(id));

  on('result-form', 'result-out', (id, out) => {
    const type = $('result-type').value.trim() || 'text/plain; charset=utf-8';
    act(out, 'POST', workerPath(id) + '/result', { auth: workerAuth(), type, body: $('result-body').value });
  });

  on('failure-form', 'failure-out', (id, out) => {
    const failure = { title: $('failure-title').value, detail: $('failure-detail').value };
    const status = $('failure-status').value.trim();
    if (status) failure.status = integerOrText(status);
    act(out, 'POST', workerPath(id) + '/failure', { auth: workerAuth(), type: JSON_TYPE, body: JSON.stringify(failure) });
  });

  on('heartbeat-form', 'heartbeat-out', (id, out) => {
    const beat = {};
    const ttl = $('heartbeat-ttl').value.trim();
    const details = $('heartbeat-details').value.trim();
    if (ttl) beat.ttl = integerOrText(ttl);
    try {
      if (details) beat.details = JSON.parse(details);
    } catch (e) {
      render(out, { problem: 'Details must be a JSON object: ' + e.message });
      return;
    }
    act(out, 'POST', workerPath(id) + '/heartbeat', { auth: workerAuth(), type: JSON_TYPE, body: JSON.stringify(beat) });
  });

  on('read-form', 'client-out', (id, out) => {
    const wait = $('read-wait').value.trim();
    const query = wait && wait !== '0' ? '?wait=' + encodeURIComponent(wait) : '';
    act(out, 'GET', corrPath(id) + '/result' + query, { auth: clientAuth() });
  });

  $('cancel').addEventListener('click', () => {
    const id = $('corr-id').value.trim();
    if (id) act($('client-out'), 'DELETE', corrPath(id), { auth: clientAuth() });
    else render($('client-out'), { problem: 'Enter a correlation ID first, or create one.' });
  });
})();
