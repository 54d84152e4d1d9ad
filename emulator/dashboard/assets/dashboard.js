// The emulator's dashboard. It reads the control API (the state, clock,
// faults, journal and events), follows the event stream, draws, and acts
// through the control API (and the emulated API for role overrides). No
// framework: elements are made once per group and session and updated in
// place, so buttons keep their focus while the page follows the clock.
'use strict';

const control = new URL('../', location.href); // …/_emulator/
const site = new URL('../../', location.href); // where /api lives
const ROLES = ['Secondary', 'Primary', 'PendingPrimary'];
const OVERRIDES = ['Off', 'Primary', 'Secondary'];
const TOKEN_KEY = 'emulator-admin-token';
const POLL_MS = 1500;
const REQUESTS_SHOWN = 12;

const view = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  clock: null, // {now (ms), mode, at (performance.now() when read)}
  config: null,
  doc: null,
  events: new Map(), // group key → role changes, in Seq order
  lastSeq: 0,
  faults: [],
  requests: [], // the latest entries of the journal
  requestsAfter: 0, // the Seq of the last entry read
};
const groups = new Map(); // group key → its card and rows

const $ = (id) => document.getElementById(id);

// el makes an element: attrs are attributes ("class", "data-*", …); the
// children are nodes or text.
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function svgEl(tag, attrs = {}, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

// ---- Talking to the emulator ----

class HTTPError extends Error {
  constructor(status, body) {
    const what = body && body.Error ? `${body.Error} ${body.Reason || ''}` : `status ${status}`;
    super(what.trim());
    this.status = status;
  }
}

async function request(url, { method = 'GET', body, auth } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth) headers.Authorization = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const resp = await fetch(url, {
    method, headers, cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!resp.ok) throw new HTTPError(resp.status, data);
  return data;
}

function adminAuth() { return view.token ? 'Bearer ' + view.token : ''; }

// ctl calls the control API with the admin token, asking for the token on 401.
async function ctl(path, options = {}) {
  try {
    return await request(new URL(path, control), { ...options, auth: adminAuth() });
  } catch (e) {
    if (e.status === 401) askToken();
    throw e;
  }
}

function say(text, error = false) {
  const m = $('message');
  m.textContent = text;
  m.className = error ? 'error' : '';
}

// ---- The admin token ----

let tokenWaiters = [];

function askToken() {
  const d = $('token-dialog');
  if (!d.open) d.showModal();
}

function tokenGiven() { return new Promise((resolve) => tokenWaiters.push(resolve)); }

$('token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  view.token = $('token-input').value;
  if ($('token-remember').checked) sessionStorage.setItem(TOKEN_KEY, view.token);
  else sessionStorage.removeItem(TOKEN_KEY);
  $('token-input').value = '';
  $('token-dialog').close();
  tokenWaiters.forEach((resolve) => resolve());
  tokenWaiters = [];
  refresh();
});
$('token-cancel').addEventListener('click', () => $('token-dialog').close());
$('token-button').addEventListener('click', askToken);

// ---- Time ----

// parseTime reads an RFC 3339 time (nanoseconds are cut to milliseconds).
function parseTime(s) { return s ? Date.parse(s.replace(/(\.\d{3})\d+/, '$1')) : NaN; }

// parseSpan reads a time-span "[d.]hh:mm:ss[.fffffff]" into milliseconds.
function parseSpan(s) {
  const m = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+)(\.\d+)?$/.exec(s || '');
  if (!m) return NaN;
  const ms = (((+(m[2] || 0) * 24 + +m[3]) * 60 + +m[4]) * 60 + +m[5] + +(m[6] || 0)) * 1000;
  return m[1] ? -ms : ms;
}

function clockTime(ms) { return Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 19) : '–'; }

function duration(ms) {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

// now is the emulator clock: a real clock is extrapolated between polls.
function now() {
  const c = view.clock;
  if (!c) return NaN;
  return c.mode === 'real' ? c.now + (performance.now() - c.at) : c.now;
}

// ---- Reading ----

function scopeKey(onPremises, tenant, namespace) {
  return onPremises ? 'onprem' : `${tenant}/${namespace}`.toLowerCase();
}
function groupKey(scope, group) { return `${scope}\u0000${group.toLowerCase()}`; }

// scopesOf lists the scopes of a state document with their groups.
function scopesOf(doc) {
  const out = [];
  for (const ns of (doc && doc.Namespaces) || []) {
    out.push({ key: scopeKey(false, ns.TenantId, ns.NamespaceId), title: `Tenant ${ns.TenantId} · namespace ${ns.NamespaceId}`,
      tenant: ns.TenantId, namespace: ns.NamespaceId, onPremises: false, groups: ns.Groups || [] });
  }
  if (doc && doc.OnPremises && (doc.OnPremises.Groups || []).length) {
    out.push({ key: 'onprem', title: 'On premises', onPremises: true, groups: doc.OnPremises.Groups });
  }
  return out;
}

let readCount = 0;

// read reads the state, the clock and the new journal entries (and, when
// full or every other time, the faults and settings), then draws.
async function read(full) {
  try {
    full = readCount++ % 2 === 0 || full;
    const [clock, doc, faults, config] = await Promise.all([
      ctl('clock'), ctl('state'),
      full ? ctl('faults') : view.faults, full ? ctl('config') : view.config, readRequests(),
    ]);
    view.clock = { now: parseTime(clock.Now), mode: clock.Mode, at: performance.now() };
    view.doc = doc;
    view.faults = faults;
    view.config = config;
    draw();
  } catch (e) {
    if (e.status !== 401) say(`Cannot read the emulator: ${e.message}`, true);
  }
}

// readRequests reads the journal entries since the last read, page by page,
// keeping the latest.
async function readRequests() {
  for (;;) {
    const page = await ctl(`requests?after=${view.requestsAfter}&limit=500`);
    const got = page.Requests || [];
    if (got.length) {
      view.requests = view.requests.concat(got).slice(-REQUESTS_SHOWN);
      view.requestsAfter = got[got.length - 1].Seq;
    }
    if (page.Next === null || page.Next === undefined) return;
  }
}

let refreshing = null;
let again = false;
let againFull = false;

// refresh reads the emulator (everything when full); called while a read is
// under way, it reads once more after it, so what the caller awaits is at
// least as new as the call.
function refresh(full = false) {
  againFull = againFull || full;
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    do {
      const f = againFull;
      again = againFull = false;
      await read(f);
    } while (again);
    refreshing = null;
  })();
  return refreshing;
}

function addEvent(e) {
  const key = groupKey(scopeKey(e.OnPremises, e.Tenant, e.Namespace), e.Group);
  if (!view.events.has(key)) view.events.set(key, []);
  view.events.get(key).push(e);
  view.lastSeq = Math.max(view.lastSeq, e.Seq);
}

// follow keeps the event stream open: the retained changes first, then each
// new one as it happens. EventSource cannot send the admin token, so the
// stream is read with fetch and parsed here.
async function follow() {
  let loaded = false;
  for (;;) {
    const used = view.token;
    try {
      if (!loaded) {
        const list = await ctl('events');
        view.events.clear();
        list.Events.forEach(addEvent);
        view.lastSeq = list.LastSeq;
        loaded = true;
        draw();
      }
      const resp = await fetch(new URL(`events/stream?after=${view.lastSeq}`, control), {
        headers: view.token ? { Authorization: adminAuth() } : {}, cache: 'no-store', credentials: 'omit',
      });
      if (!resp.ok) throw new HTTPError(resp.status, null);
      setLive(true);
      const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          onMessage(parseMessage(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (e.status === 401) {
        setLive(false);
        askToken();
        if (view.token === used) await tokenGiven(); // unless it came meanwhile
        continue;
      }
    }
    setLive(false);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // then resume after lastSeq
  }
}

function parseMessage(block) {
  const m = { event: 'message', data: [] };
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'data') m.data.push(value);
    else m[field] = value;
  }
  m.data = m.data.join('\n');
  return m;
}

function onMessage(m) {
  if (m.event === 'role') {
    addEvent(JSON.parse(m.data));
    draw();
    refresh(); // the roles in the state changed too
  } else if (m.event === 'reset') { // the journal was cleared too
    view.events.clear();
    view.requests = [];
    view.lastSeq = JSON.parse(m.data).LastSeq;
    refresh();
  }
  // "overflow": the stream ends and follow resumes after lastSeq.
}

function setLive(on) {
  const l = $('live');
  l.textContent = on ? 'live' : 'reconnecting…';
  l.className = 'pill ' + (on ? 'on' : 'off');
}

// ---- Drawing ----

function draw() {
  const t = now();
  $('clock-now').textContent = Number.isFinite(t) ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '–';
  if (view.clock) {
    $('clock-mode').textContent = view.clock.mode === 'real' ? 'real' : 'manual (frozen)';
    $('freeze').setAttribute('aria-pressed', String(view.clock.mode === 'manual'));
    $('real').setAttribute('aria-pressed', String(view.clock.mode === 'real'));
  }
  if (view.config) $('auth-mode').textContent = view.config.Auth || '–';
  drawScopes(t);
  drawFaults();
  drawRequests();
}

function drawScopes(t) {
  const container = $('scopes');
  const scopes = scopesOf(view.doc);
  const seen = new Set();
  $('no-groups').hidden = scopes.some((s) => s.groups.length);
  for (const scope of scopes) {
    const id = 'scope-' + encodeURIComponent(scope.key);
    let section = document.getElementById(id);
    if (!section) {
      section = el('section', { id, class: 'scope', 'data-scope': scope.key }, el('h3', {}, scope.title));
      container.append(section);
    }
    seen.add(section);
    let place = section.firstElementChild; // the heading; cards follow in order
    for (const group of scope.groups) {
      const key = groupKey(scope.key, group.Id);
      const g = groups.get(key) || makeGroup(key, scope, group);
      fillGroup(g, scope, group, t);
      if (place.nextElementSibling !== g.card) place.after(g.card);
      place = g.card;
      g.seen = true;
    }
  }
  for (const section of [...container.querySelectorAll('section.scope')]) if (!seen.has(section)) section.remove();
  for (const [key, g] of groups) {
    if (!g.seen) { g.card.remove(); groups.delete(key); }
    g.seen = false;
  }
}

function makeGroup(key, scope, group) {
  const g = {
    title: el('h4'), info: el('span'), data: el('span'), rows: new Map(),
    body: el('tbody'), timeline: svgEl('svg', { class: 'timeline', role: 'img' }), bandSig: '',
  };
  g.card = el('article', { class: 'card group', 'data-group': group.Id },
    el('header', {}, g.title, g.info, g.data),
    el('table', {},
      el('thead', {}, el('tr', {}, ...['Session', 'Role', 'Score', 'Heartbeat age / FailoverTimeout', 'Override', 'Actions']
        .map((h) => el('th', { scope: 'col' }, h)))),
      g.body),
    g.timeline);
  groups.set(key, g);
  return g;
}

function fillGroup(g, scope, group, t) {
  const timeout = parseSpan(group.FailoverTimeout);
  g.title.textContent = group.Id + (group.Name ? ` — ${group.Name}` : '');
  g.info.textContent = `FailoverTimeout ${group.FailoverTimeout}`;
  g.data.textContent = `LastDataProcessedTime ${group.LastDataProcessedTime || 'none'}`;
  let place = null;
  const seen = new Set();
  for (const s of group.Sessions || []) {
    let row = g.rows.get(s.Id);
    if (!row) { row = makeRow(scope, group, s); g.rows.set(s.Id, row); }
    fillRow(row, s, timeout, t);
    if (place ? place.nextElementSibling !== row.tr : g.body.firstElementChild !== row.tr) {
      if (place) place.after(row.tr); else g.body.prepend(row.tr);
    }
    place = row.tr;
    seen.add(s.Id);
  }
  for (const [id, row] of g.rows) if (!seen.has(id)) { row.tr.remove(); g.rows.delete(id); }
  g.timeline.setAttribute('aria-label', `Roles of the sessions of group ${group.Id} over emulator time`);
  drawTimeline(g, group, view.events.get(groupKey(scope.key, group.Id)) || [], timeout, t);
}

function makeRow(scope, group, s) {
  const row = {
    name: el('span', { class: 'muted' }), role: el('span', { class: 'role' }), score: el('td'),
    fill: el('span'), ageText: el('small'), override: el('td'),
  };
  row.bar = el('div', { class: 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-label': `Heartbeat age of ${s.Id} against the FailoverTimeout` }, row.fill);
  const button = (label, value) => {
    const b = el('button', { type: 'button', class: 'small quiet' }, label);
    b.addEventListener('click', () => postOverride(scope, group.Id, s.Id, value));
    return b;
  };
  const actions = el('td', { class: 'actions' }, button('Force Primary', 1));
  if (scope.onPremises) actions.append(button('Force Secondary', 2));
  actions.append(button('Override off', 0));
  row.tr = el('tr', { 'data-session': s.Id },
    el('td', { class: 'id' }, s.Id, ' ', row.name),
    el('td', {}, row.role), row.score,
    el('td', {}, el('div', { class: 'age' }, row.bar, row.ageText)),
    row.override, actions);
  return row;
}

function fillRow(row, s, timeout, t) {
  const role = ROLES[s.Role] || String(s.Role);
  row.name.textContent = s.Name || '';
  row.role.textContent = role;
  row.role.className = 'role role-' + role;
  row.score.textContent = s.Heartbeat ? String(s.Heartbeat.FailoverStatus) : '–';
  const last = parseTime(s.LastHeartbeatReceived);
  if (Number.isFinite(last) && Number.isFinite(t)) {
    const age = Math.max(0, t - last);
    row.fill.style.width = `${Math.min(100, (age / timeout) * 100)}%`;
    row.bar.className = 'bar' + (age > timeout ? ' lapsed' : age > timeout / 2 ? ' late' : '');
    row.bar.setAttribute('aria-valuemax', String(timeout / 1000));
    row.bar.setAttribute('aria-valuenow', String(Math.round(age / 100) / 10));
    row.ageText.textContent = `${duration(age)} / ${duration(timeout)}`;
  } else {
    row.fill.style.width = '0';
    row.bar.className = 'bar';
    row.ageText.textContent = 'no heartbeat';
  }
  const expiry = s.RoleOverrideExpirationTime ? ` until ${s.RoleOverrideExpirationTime}` : '';
  row.override.textContent = (OVERRIDES[s.Override] || String(s.Override)) + (s.Override ? expiry : '');
}

// bandsOf turns a group's role changes into one band per session and role:
// [{session, role, from, to, rule}], to = null for the current one.
function bandsOf(group, events) {
  const ids = (group.Sessions || []).map((s) => s.Id);
  for (const e of events) if (!ids.some((id) => id.toLowerCase() === e.Session.toLowerCase())) ids.push(e.Session);
  const open = new Map(); // session (lower case) → its current band
  const bands = [];
  for (const e of events) {
    const k = e.Session.toLowerCase();
    const at = parseTime(e.Time);
    let band = open.get(k);
    if (!band) { band = { session: e.Session, role: e.From, from: -Infinity, rule: '' }; bands.push(band); }
    band.to = at;
    const next = { session: e.Session, role: e.To, from: at, to: null, rule: e.Rule, seq: e.Seq };
    bands.push(next);
    open.set(k, next);
  }
  for (const id of ids) {
    if (!open.has(id.toLowerCase())) {
      const s = (group.Sessions || []).find((x) => x.Id === id);
      bands.push({ session: id, role: ROLES[s ? s.Role : 0], from: -Infinity, to: null, rule: '' });
    }
  }
  return { ids, bands };
}

const TL = { left: 130, width: 1000, row: 22, top: 6, axis: 22 };

// drawTimeline draws each session's role over emulator time. The picture is
// rebuilt only when the bands change; when only the clock moves, the bands
// are stretched in place (so a hovered band keeps its tooltip).
function drawTimeline(g, group, events, timeout, t) {
  const { ids, bands } = bandsOf(group, events);
  if (!Number.isFinite(t)) return;
  const first = events.length ? parseTime(events[0].Time) : t;
  const span = Math.max(t - first, timeout || 0, 10000) * 1.1;
  const start = t - span;
  const x = (ms) => TL.left + ((Math.max(ms, start) - start) / span) * (TL.width - TL.left - 4);
  const sig = ids.join('|') + '#' + bands.map((b) => `${b.session}:${b.role}:${b.from}`).join('|');
  const height = TL.top + ids.length * TL.row + TL.axis;
  if (sig !== g.bandSig) {
    g.bandSig = sig;
    g.timeline.replaceChildren();
    g.timeline.setAttribute('viewBox', `0 0 ${TL.width} ${height}`);
    ids.forEach((id, i) => g.timeline.append(svgEl('text', { class: 'label', x: 4, y: TL.top + i * TL.row + 15 }, id.length > 16 ? id.slice(0, 15) + '…' : id)));
    g.rects = bands.map((b) => {
      const i = ids.findIndex((id) => id.toLowerCase() === b.session.toLowerCase());
      const since = Number.isFinite(b.from) ? `from ${clockTime(b.from)} by ${b.rule}` : 'from the start of the record';
      const r = svgEl('rect', { class: `band role-${b.role}`, y: TL.top + i * TL.row, height: TL.row - 4, 'data-session': b.session, 'data-role': b.role },
        svgEl('title', {}, `${b.session}: ${b.role} ${since}`));
      g.timeline.append(r);
      return { r, b };
    });
    const axisY = TL.top + ids.length * TL.row + 14;
    g.ticks = [0, 0.5, 1].map((f) => {
      const text = svgEl('text', { class: 'tick', y: axisY, 'text-anchor': f === 0 ? 'start' : f === 1 ? 'end' : 'middle' });
      g.timeline.append(text);
      return { f, text };
    });
    g.timeline.append(svgEl('line', { class: 'now', x1: x(t), x2: x(t), y1: TL.top - 2, y2: TL.top + ids.length * TL.row - 2 }));
  }
  for (const { r, b } of g.rects) {
    const x0 = x(b.from), x1 = x(b.to === null ? t : b.to);
    r.setAttribute('x', x0.toFixed(1));
    r.setAttribute('width', Math.max(0, x1 - x0).toFixed(1));
  }
  for (const { f, text } of g.ticks) {
    const at = start + f * span;
    text.setAttribute('x', (TL.left + f * (TL.width - TL.left - 4)).toFixed(1));
    text.textContent = f === 1 ? `now ${clockTime(at)}` : clockTime(at);
  }
}

function drawFaults() {
  const list = $('fault-list');
  const sig = JSON.stringify(view.faults);
  if (list.dataset.sig === sig) return;
  list.dataset.sig = sig;
  list.replaceChildren(...(view.faults || []).map((f) => {
    const m = f.Match || {};
    const what = Object.entries(m).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k} ${v}`).join(', ') || 'every request';
    const act = f.Action && f.Action.Status ? f.Action.Status : f.Action && f.Action.Drop ? 'drop' : 'delay';
    const left = f.Remaining === null || f.Remaining === undefined ? '' : `, ${f.Remaining} left`;
    const remove = el('button', { type: 'button', class: 'small quiet', 'aria-label': `Remove fault ${f.Id}` }, 'Remove');
    remove.addEventListener('click', () => act(async () => { await ctl(`faults/${encodeURIComponent(f.Id)}`, { method: 'DELETE' }); }, `Fault ${f.Id} removed.`));
    return el('li', {}, el('span', {}, el('code', {}, f.Id), ` ${what} → ${act} (fired ${f.Fired}${left})`), remove);
  }));
}

function drawRequests() {
  const body = $('requests');
  const latest = view.requests.slice(-REQUESTS_SHOWN).reverse();
  const sig = latest.map((r) => r.Seq).join(',');
  if (body.dataset.sig === sig) return;
  body.dataset.sig = sig;
  body.replaceChildren(...latest.map((r) => el('tr', {},
    el('td', {}, clockTime(parseTime(r.Time))),
    el('td', { class: 'path' }, `${r.Method} ${r.Path}${r.Query ? '?' + r.Query : ''}`),
    el('td', {}, r.Operation || '–'),
    el('td', { class: r.Status >= 200 && r.Status < 400 ? 'status-ok' : 'status-bad' }, r.Status === 0 ? 'dropped' : String(r.Status)),
    el('td', {}, r.Fault || '–'))));
}

// ---- Acting ----

// act runs an action, says how it went (fn's answer, or done) and reads
// the emulator again.
async function act(fn, done) {
  try {
    say((await fn()) || done);
  } catch (e) {
    say(e.message, true);
  }
  await refresh(true);
}

$('clock-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const by = $('advance-by').value.trim();
  act(async () => { await ctl('clock/advance', { method: 'POST', body: { By: by } }); }, `Clock advanced by ${by}.`);
});
const setMode = (mode) => async () => { await ctl('clock', { method: 'PUT', body: { Mode: mode } }); };
$('freeze').addEventListener('click', () => act(setMode('manual'), 'Clock frozen.'));
$('real').addEventListener('click', () => act(setMode('real'), 'Clock back on real time.'));

$('fault-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const op = $('fault-op').value;
  const times = $('fault-times').value;
  const rule = { Match: { Operation: op }, Action: { Status: 503 } };
  if (times) rule.Times = Number(times);
  act(async () => {
    const added = await ctl('faults', { method: 'POST', body: rule });
    return `Fault ${added.Id}: ${op} answers 503.`;
  });
});
$('clear-faults').addEventListener('click', () => act(async () => { await ctl('faults', { method: 'DELETE' }); }, 'Faults cleared.'));

function postOverride(scope, group, session, value) {
  const enc = encodeURIComponent;
  const root = scope.onPremises ? 'api/v1/clientfailover' : `api/v1/tenants/${enc(scope.tenant)}/namespaces/${enc(scope.namespace)}/clientfailover`;
  const url = new URL(`${root}/groups/${enc(group)}/clientsessions/${enc(session)}/roleoverride`, site);
  const period = $('override-period').value.trim();
  const body = { Value: value, ExpirationPeriod: period || null };
  act(async () => {
    try {
      await request(url, { method: 'POST', body, auth: $('api-auth').value.trim() });
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        throw new Error(`The emulated API refused the override (${e.status}): with --auth token it needs credentials; ` +
          'give an Authorization header under "Credentials for the emulated API". ' + e.message);
      }
      throw e;
    }
  }, `Override ${OVERRIDES[value]} posted for ${session} in ${group}.`);
}

// ---- Start ----

refresh();
follow();
setInterval(refresh, POLL_MS);
setInterval(() => { if (view.clock && view.clock.mode === 'real') draw(); }, 1000);
