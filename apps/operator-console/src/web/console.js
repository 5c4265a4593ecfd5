// The operator console's page: reads /api/* with the session cookie, redraws every few seconds,
// and appends /api/live's events as they come. Plain DOM, no libraries.
'use strict';

const $ = (id) => document.getElementById(id);
const text = (v) => (v === null || v === undefined ? '' : String(v));

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = text(value);
  if (className) td.className = className;
  return td;
}

async function api(path, init) {
  const res = await fetch(path, init);
  if (res.status === 401) location.href = '/login';
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`);
  return body;
}

const downApps = new Map();
function noteSources(view, sources) {
  for (const s of sources) downApps.set(`${view}:${s.app}`, s.ok ? null : s.error);
  const down = [...downApps.values()].filter(Boolean);
  $('sources').textContent = down.length ? `unavailable: ${[...new Set(down)].join('; ')}` : 'all apps answering';
  $('sources').className = down.length ? 'down' : '';
}

const SVG = 'http://www.w3.org/2000/svg';
/** Equirectangular plot of the devices that have a position, fitted to the box they span. */
function drawMap(devices) {
  const svg = $('map');
  svg.replaceChildren();
  const placed = devices.filter((d) => typeof d.lng === 'number' && typeof d.lat === 'number');
  if (!placed.length) {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', 20); t.setAttribute('y', 30); t.textContent = 'No device has reported a position yet.';
    svg.appendChild(t);
    return;
  }
  const lngs = placed.map((d) => d.lng), lats = placed.map((d) => d.lat);
  const pad = 0.01;
  const minLng = Math.min(...lngs) - pad, maxLng = Math.max(...lngs) + pad, minLat = Math.min(...lats) - pad, maxLat = Math.max(...lats) + pad;
  const scale = Math.min(760 / (maxLng - minLng), 360 / (maxLat - minLat));
  for (const d of placed) {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('cx', 20 + (d.lng - minLng) * scale);
    c.setAttribute('cy', 20 + (maxLat - d.lat) * scale);
    c.setAttribute('r', 6);
    c.setAttribute('class', d.online ? 'online' : 'offline');
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${d.kind} ${d.id}${d.group ? ` (line ${d.group})` : ''}: ${d.online ? 'online' : 'offline'}, last seen ${text(d.lastSeen) || 'never'}, ${d.lng}, ${d.lat}`;
    c.appendChild(title);
    const label = document.createElementNS(SVG, 'text');
    label.setAttribute('x', Number(c.getAttribute('cx')) + 9);
    label.setAttribute('y', Number(c.getAttribute('cy')) + 4);
    label.textContent = d.id;
    svg.append(c, label);
  }
}

async function loadFleet() {
  const view = await api('/api/fleet');
  noteSources('fleet', view.sources);
  drawMap(view.devices);
  const online = view.devices.filter((d) => d.online).length;
  $('fleet-summary').textContent = `${view.devices.length} devices, ${online} online`;
  const body = $('fleet').tBodies[0];
  body.replaceChildren();
  for (const d of view.devices) {
    const row = body.insertRow();
    [d.app, d.kind, d.id, d.name, d.group, d.status].forEach((v) => cell(row, v));
    cell(row, d.online ? 'online' : 'offline', d.online ? '' : 'low');
    cell(row, d.lastSeen);
    cell(row, d.lng === null ? '' : `${d.lng}, ${d.lat}`);
  }
}

async function loadStock() {
  const view = await api('/api/stock');
  noteSources('stock', view.sources);
  const body = $('stock').tBodies[0];
  body.replaceChildren();
  for (const k of view.kiosks) {
    const row = body.insertRow();
    [k.machineNo, k.projectId, k.address].forEach((v) => cell(row, v));
    cell(row, k.online ? 'online' : 'offline');
    for (const item of ['cardCount', 'inkCount', 'cardRopeCover']) cell(row, `${k.reported[item]} (below ${k.thresholds[item]}: ${k.low[item] ? 'yes' : 'no'})`, k.low[item] ? 'low' : '');
    cell(row, k.reportedAt);
  }
}

async function loadBacklogs() {
  const view = await api('/api/backlogs');
  noteSources('backlogs', view.sources);
  const box = $('backlogs');
  box.replaceChildren();
  for (const b of view.backlogs) {
    const div = document.createElement('div');
    const h = document.createElement('h3');
    h.textContent = b.app;
    const table = document.createElement('table');
    for (const item of b.items) {
      const row = table.insertRow();
      cell(row, item.name);
      cell(row, item.pending === null ? `unreadable: ${item.error}` : item.pending, item.pending ? 'low' : '');
      cell(row, item.oldestAgeSeconds === null ? '' : `oldest ${item.oldestAgeSeconds} s`);
    }
    div.append(h, table);
    box.appendChild(div);
  }
}

async function loadDeadLetters() {
  const view = await api('/api/dead-letters');
  noteSources('dead-letters', view.sources);
  const body = $('dead-letters').tBodies[0];
  body.replaceChildren();
  for (const l of view.items) {
    const row = body.insertRow();
    [l.app, l.kind, l.what, l.where, l.reason, l.error, l.at, l.attempts].forEach((v) => cell(row, v));
    const td = row.insertCell();
    if (!l.replayable) continue;
    const button = document.createElement('button');
    button.textContent = 'Replay';
    button.onclick = async () => {
      button.disabled = true;
      try {
        await api(`/api/dead-letters/${encodeURIComponent(l.app)}/${encodeURIComponent(l.kind)}/${encodeURIComponent(l.id)}/replay`, { method: 'POST' });
        await loadDeadLetters();
      } catch (error) {
        td.textContent = error.message;
      }
    };
    td.appendChild(button);
  }
}

function startLive() {
  const source = new EventSource('/api/live');
  source.onopen = () => ($('live-state').textContent = 'connected');
  source.onerror = () => ($('live-state').textContent = 'reconnecting…');
  source.onmessage = (message) => {
    const e = JSON.parse(message.data);
    const li = document.createElement('li');
    const ev = e.event || {};
    const who = ev.deviceId || ev.machineNo || ev.deviceKey || '';
    const what = ev.status || ev.change || (ev.item ? `${ev.item} ${ev.remaining} < ${ev.threshold}` : '');
    li.textContent = `${new Date().toLocaleTimeString()} ${e.subject} ${who} ${what}`;
    $('live').prepend(li);
    while ($('live').children.length > 200) $('live').lastChild.remove();
    // A device changed: redraw the views it touches.
    if (/status-changed|stock-low/.test(e.subject)) refresh([loadFleet, loadStock]);
  };
}

function refresh(loaders) {
  for (const load of loaders) load().catch((error) => ($('sources').textContent = error.message));
}

refresh([loadFleet, loadStock, loadBacklogs, loadDeadLetters]);
// Positions come with heartbeats (no event): poll about at the heartbeat interval; the rest less often.
setInterval(() => refresh([loadFleet]), 5000);
setInterval(() => refresh([loadStock, loadBacklogs, loadDeadLetters]), 15000);
startLive();
