// 网格一张图: the one-map page served by `wangge serve` at /.
//
// Everything comes from the wangge server itself (no CDN, no internet basemap): the MapLibre style
// (/style.json) and vector tiles (/tiles.json), region details (/v1/regions/{code}), point location
// (POST /v1/locate) and, when the server offers it, the coverage defects (/v1/coverage?f=geojson).
// Chinese labels are drawn by MapLibre from the browser's local CJK fonts
// (localIdeographFontFamily), so no CJK glyph files are needed; Latin text uses the font file
// /web/fonts/LiberationSans-Regular.ttf when scripts/setup-web.sh has put it there.
//
// Optional URL parameters: ?basemap=<raster XYZ tile URL template> adds a raster basemap under the
// grid layers (e.g. an intranet tile server); ?lng=&lat=&zoom= start the map there.
//
// For tests the page exposes window.wangge = {map, ready, idle, selected}: `ready` once the map has
// loaded, `idle` while no move or tile load is pending, `selected` the code shown in the panel.
import * as maplibregl from '/web/maplibre/maplibre-gl.mjs';

const params = new URLSearchParams(location.search);
const hooks = { map: null, ready: false, idle: false, selected: null };
window.wangge = hooks;

const $ = (id) => document.getElementById(id);
const statusLine = $('status');

async function getJson(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) {
    let message = `${response.status}`;
    try {
      message = (await response.json()).error.message;
    } catch (e) { /* not a JSON error */ }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function table(rows) {
  return '<table>' + rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('') + '</table>';
}

const LOCATE_STATUS = {
  inside: '在单元内', boundary: '在边界上', gap: '位于缝隙（不属于任何单元）',
  outside: '在范围之外', nearest: '最近单元',
};

async function main() {
  const [style, tilejson] = await Promise.all([getJson('/style.json'), getJson('/tiles.json')]);
  const levels = (tilejson.vector_layers || []).filter((l) => l.id !== 'labels');
  const levelIndex = new Map(levels.map((l, i) => [l.id, i]));
  const sourceId = Object.keys(style.sources)[0];

  if (params.get('basemap')) {
    style.sources.basemap = { type: 'raster', tiles: [params.get('basemap')], tileSize: 256 };
    const at = style.layers.findIndex((l) => l.type !== 'background');
    style.layers.splice(at < 0 ? style.layers.length : at, 0,
      { id: 'basemap', type: 'raster', source: 'basemap' });
  }
  // Hover and selection highlights, one pair of layers per level, filtered by code.
  const none = ['==', ['get', 'code'], '\u0000'];
  for (const level of levels) {
    const base = { source: sourceId, 'source-layer': level.id, filter: none };
    style.layers.push(
      { ...base, id: `hover-${level.id}`, type: 'fill', paint: { 'fill-color': '#ffd400', 'fill-opacity': 0.35 } },
      { ...base, id: `select-${level.id}`, type: 'line', paint: { 'line-color': '#e65c00', 'line-width': 3 } });
  }
  style.sources.defects = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  style.layers.push(
    { id: 'defects-fill', type: 'fill', source: 'defects', paint: { 'fill-color': '#e00000', 'fill-opacity': 0.45 } },
    { id: 'defects-line', type: 'line', source: 'defects', paint: { 'line-color': '#e00000', 'line-width': 2 } });

  // Latin letters and digits of labels come from a font file setup-web.sh copies from Debian's
  // fonts-liberation (MapLibre's font-faces); without it they are left out of the labels.
  try {
    const font = await fetch('/web/fonts/LiberationSans-Regular.ttf');
    if (font.ok) {
      const url = URL.createObjectURL(await font.blob());
      const stacks = new Set(style.layers.flatMap((l) => l.layout?.['text-font'] ?? []));
      style['font-faces'] = Object.fromEntries([...stacks].map((stack) =>
        [stack, [{ url, 'unicode-range': ['U+0000-024F'] }]]));
    }
  } catch (e) { /* labels without Latin text */ }

  const start = params.has('lng') && params.has('lat')
    ? { center: [Number(params.get('lng')), Number(params.get('lat'))], zoom: Number(params.get('zoom') || 14) }
    : tilejson.center
      ? { center: tilejson.center.slice(0, 2), zoom: tilejson.center[2] }
      : { bounds: tilejson.bounds };
  const map = new maplibregl.Map({
    container: 'map',
    style,
    ...start,
    maxZoom: 20,
    localIdeographFontFamily: '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif',
    canvasContextAttributes: { preserveDrawingBuffer: true },
    attributionControl: false,
  });
  hooks.map = map;
  map.addControl(new maplibregl.NavigationControl(), 'top-left');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.on('movestart', () => { hooks.idle = false; });
  map.on('dataloading', () => { hooks.idle = false; });
  map.on('idle', () => { hooks.idle = true; });
  map.on('zoomend', () => { statusLine.textContent = `缩放级别 ${map.getZoom().toFixed(1)}`; });

  // --- layer toggles ---
  const layersOf = (level) => style.layers.map((l) => l.id).filter((id) =>
    id.startsWith(`${level.id}-`) || id === `hover-${level.id}` || id === `select-${level.id}`);
  const togglesBox = $('layers');
  for (const level of levels) {
    const fill = style.layers.find((l) => l.id === `${level.id}-line`);
    const colour = fill?.paint?.['line-color'] ?? '#888';
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" checked data-level="${escapeHtml(level.id)}"> ` +
      `<span class="swatch" style="background:${escapeHtml(colour)}"></span>` +
      `${escapeHtml(level.description || level.id)} <span class="muted">(${level.minzoom}级起)</span>`;
    label.querySelector('input').addEventListener('change', (e) => {
      for (const id of layersOf(level)) map.setLayoutProperty(id, 'visibility', e.target.checked ? 'visible' : 'none');
    });
    togglesBox.appendChild(label);
  }
  const defectToggle = document.createElement('label');
  defectToggle.innerHTML = '<input type="checkbox" checked> <span class="swatch" style="background:#e00000"></span>覆盖缺陷';
  defectToggle.querySelector('input').addEventListener('change', (e) => {
    for (const id of ['defects-fill', 'defects-line']) map.setLayoutProperty(id, 'visibility', e.target.checked ? 'visible' : 'none');
  });
  togglesBox.appendChild(defectToggle);

  // --- hover and click ---
  const fillLayers = () => levels.map((l) => `${l.id}-fill`).filter((id) => map.getLayer(id));
  function finestAt(point) {
    let best = null;
    for (const f of map.queryRenderedFeatures(point, { layers: fillLayers() })) {
      if (!best || levelIndex.get(f.sourceLayer) > levelIndex.get(best.sourceLayer)) best = f;
    }
    return best;
  }
  function highlight(prefix, level, code) {
    for (const l of levels) {
      map.setFilter(`${prefix}-${l.id}`, l.id === level && code ? ['==', ['get', 'code'], code] : none);
    }
  }
  let hovered = null;
  map.on('mousemove', (e) => {
    const f = finestAt(e.point);
    const key = f ? `${f.sourceLayer}/${f.properties.code}` : null;
    map.getCanvas().style.cursor = f ? 'pointer' : '';
    if (key === hovered) return;
    hovered = key;
    highlight('hover', f?.sourceLayer, f?.properties.code);
  });
  map.on('mouseout', () => { hovered = null; highlight('hover', null, null); });

  const panel = $('panel');
  function showPanel(title, html, code) {
    panel.hidden = false;
    $('panel-title').textContent = title;
    $('panel-body').innerHTML = html;
    panel.dataset.code = code ?? '';
    hooks.selected = code ?? null;
  }

  // Shows a region: its chain from itself up to the top level and its attributes.
  async function showRegion(code, fallback) {
    try {
      const r = await getJson(`/v1/regions/${encodeURIComponent(code)}`);
      const chain = [{ level: r.level, code: r.code, name: r.name }, ...[...r.ancestors].reverse()];
      const label = (name) => levels.find((l) => l.id === name)?.description || name;
      let html = table([['编码', r.code], ['名称', r.name], ['层级', r.level_label || r.level],
        ['下级数量', `${r.children.length}`]]);
      html += '<h2>归属链</h2>' + table(chain.map((c) => [label(c.level), `${c.code} ${c.name}`]));
      const attributes = Object.entries(r.attributes || {});
      if (attributes.length) html += '<h2>属性</h2>' + table(attributes);
      showPanel(`${r.name}（${r.level_label || r.level}）`, html, r.code);
      highlight('select', r.level, r.code);
      return r;
    } catch (e) {
      if (!fallback) throw e;
      showPanel(`${fallback.name}`, table([['编码', fallback.code], ['名称', fallback.name],
        ['层级', fallback.level], ['上级编码', fallback.parent]]), fallback.code);
      highlight('select', fallback.level, fallback.code);
      return null;
    }
  }

  async function locate(lngLat) {
    const body = JSON.stringify([[lngLat.lng, lngLat.lat]]);
    const answer = await getJson('/v1/locate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const result = Array.isArray(answer) ? answer[0] : answer.results ? answer.results[0] : answer;
    const rows = [['经度', lngLat.lng.toFixed(6)], ['纬度', lngLat.lat.toFixed(6)],
      ['状态', LOCATE_STATUS[result.status] || result.status], ['在边界上', result.on_boundary ? '是' : '否']];
    let finest = null;
    for (const level of levels) {
      const hit = result.levels?.[level.id];
      rows.push([level.description || level.id, hit ? `${hit.code} ${hit.name}` : '—']);
      if (hit) finest = { level: level.id, code: hit.code };
    }
    if (result.nearest) rows.push(['最近单元', `${result.nearest.code}（${result.nearest.distance_m.toFixed(1)} 米）`]);
    showPanel('定位结果', table(rows), finest?.code);
    highlight('select', finest?.level, finest?.code);
  }

  map.on('click', async (e) => {
    try {
      if ($('locate-mode').checked) {
        await locate(e.lngLat);
        return;
      }
      const f = finestAt(e.point);
      if (f) await showRegion(f.properties.code, { ...f.properties, level: f.sourceLayer });
    } catch (error) {
      statusLine.textContent = `查询失败：${error.message}`;
    }
  });

  // --- search: by code (the server's region index), else by name among the loaded tiles ---
  function flyToBox(box) {
    map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 40, maxZoom: 18, duration: 800 });
  }
  $('search').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('search-text').value.trim();
    const out = $('search-result');
    if (!text) return;
    out.textContent = '搜索中…';
    try {
      const region = await getJson(`/v1/regions/${encodeURIComponent(text)}`);
      out.textContent = `${region.code} ${region.name}`;
      if (region.bbox) flyToBox(region.bbox);
      await showRegion(region.code);
      return;
    } catch (error) {
      if (error.status !== 404) { out.textContent = `搜索失败：${error.message}`; return; }
    }
    const matches = new Map();
    for (const level of levels) {
      for (const f of map.querySourceFeatures(sourceId, { sourceLayer: level.id })) {
        if (String(f.properties.name).includes(text)) matches.set(f.properties.code, f.properties);
      }
    }
    if (!matches.size) { out.textContent = '未找到（名称搜索只查当前已加载的区域，编码搜索查全部）'; return; }
    out.innerHTML = '';
    for (const p of [...matches.values()].slice(0, 20)) {
      const a = document.createElement('a');
      a.href = '#';
      a.style.display = 'block';
      a.textContent = `${p.code} ${p.name}`;
      a.addEventListener('click', async (ev) => {
        ev.preventDefault();
        const r = await showRegion(p.code, p);
        if (r?.bbox) flyToBox(r.bbox);
      });
      out.appendChild(a);
    }
  });

  // --- coverage defects (skipped when the server does not offer them) ---
  async function loadDefects() {
    const list = $('defects');
    let collection;
    try {
      collection = await getJson('/v1/coverage?f=geojson');
    } catch (error) {
      $('defect-count').textContent = '（服务端未提供覆盖检查）';
      return;
    }
    const features = collection.features || [];
    map.getSource('defects').setData({ type: 'FeatureCollection', features });
    $('defect-count').textContent = `（${features.length} 处）`;
    for (const f of features.slice(0, 500)) {
      const p = f.properties || {};
      const li = document.createElement('li');
      const area = p.area_m2 != null ? `，${Number(p.area_m2).toFixed(1)} 平方米` : '';
      li.textContent = `${p.kind}：${(p.codes || []).join('、')}${area}`;
      li.title = p.message || '';
      li.addEventListener('click', () => {
        const box = [Infinity, Infinity, -Infinity, -Infinity];
        const walk = (c) => { if (typeof c[0] === 'number') { box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]); box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]); } else c.forEach(walk); };
        if (f.geometry) walk(f.geometry.coordinates);
        if (box[0] <= box[2]) flyToBox(box);
      });
      list.appendChild(li);
    }
  }

  map.once('load', () => {
    hooks.ready = true;
    statusLine.textContent = `缩放级别 ${map.getZoom().toFixed(1)}`;
    loadDefects();
  });
}

main().catch((error) => {
  statusLine.textContent = `地图加载失败：${error.message}`;
  hooks.error = error.message;
});
