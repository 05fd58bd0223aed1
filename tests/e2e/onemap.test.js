// The one-map page end to end: the built `wangge serve` on a small synthetic dataset, driven by
// headless Debian chromium through playwright-core. Checks that polygons render (pixels of the
// level colours on a screenshot), that clicking a point shows the unit the server's locate answers
// for it (in the normal and in the locate mode), and that searching a grid code flies there.
//
// Environment (set by tests/e2e/CMakeLists.txt): WANGGE_BIN (the wangge executable),
// WANGGE_SOURCE_DIR, WANGGE_E2E_OUT (screenshots and scratch data are kept there).
// Skips only when chromium is absent and scripts/setup-web.sh has not been run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const sourceDir = process.env.WANGGE_SOURCE_DIR ?? path.resolve(import.meta.dirname, '../..');
const bin = process.env.WANGGE_BIN;
const outDir = process.env.WANGGE_E2E_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-e2e-'));
const chromiumPath = process.env.WANGGE_CHROMIUM ?? '/usr/bin/chromium';
const setupDone = fs.existsSync(path.join(sourceDir, 'web/node_modules/maplibre-gl/dist/maplibre-gl.mjs')) &&
  fs.existsSync(path.join(import.meta.dirname, 'node_modules/playwright-core'));
const skip = !fs.existsSync(chromiumPath) && !setupDone
  ? 'chromium is not installed and scripts/setup-web.sh was not run' : false;

let PNG;  // pngjs and playwright-core are imported once setup-web.sh is known to have run
let server;
let base;
let context;
let page;

async function startServer(dataset) {
  const child = spawn(bin, ['serve', dataset, '--host', '127.0.0.1', '--port', '0', '--threads', '2',
    '--access-log', 'off', '--web-root', path.join(sourceDir, 'web')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`wangge serve did not start: ${stderr}`)), 120_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/at (http:\/\/[^\s]+?)\/?\s/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`wangge serve exited ${code}: ${stderr}`)); });
  });
  return { child, url };
}

async function getJson(url, init) {
  const response = await fetch(base + url, init);
  assert.equal(response.status, 200, `${url}: ${response.status}`);
  return response.json();
}

const locate = async (lon, lat) => getJson(`/v1/locate?lon=${lon}&lat=${lat}`);

// Returns a point well inside one unit (its neighbours a few metres away answer the same unit)
// and the locate answer for it.
async function pointInsideAUnit(levels) {
  const unitLevel = levels.at(-1);
  const grid = (await getJson(`/collections/${levels.at(-2)}/items?limit=1`)).features[0];
  const region = await getJson(`/v1/regions/${grid.properties.code}`);
  const [x0, y0, x1, y1] = region.bbox;
  const d = 0.00005;  // about 5 m
  for (let i = 1; i < 200; i++) {
    const lon = x0 + (x1 - x0) * ((i * 0.618034) % 1);
    const lat = y0 + (y1 - y0) * ((i * 0.414214) % 1);
    const answer = await locate(lon, lat);
    const unit = answer.levels?.[unitLevel];
    if (answer.status !== 'inside' || !unit) continue;
    const around = await Promise.all([[d, 0], [-d, 0], [0, d], [0, -d]].map(([dx, dy]) => locate(lon + dx, lat + dy)));
    if (around.every((a) => a.levels?.[unitLevel]?.code === unit.code)) return { lon, lat, unit: unit.code, answer };
  }
  throw new Error('no point well inside a unit found');
}

async function waitIdle() {
  await page.waitForFunction(() => window.wangge?.ready && window.wangge.idle && !window.wangge.map.isMoving(),
    null, { timeout: 60_000 });
}

function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

// Counts, in the map's part of a screenshot, pixels that are not the background and pixels close
// to each level's line colour.
function countPixels(file, background, colours, mapWidth) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const near = (data, i, [r, g, b], tolerance) =>
    Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) <= tolerance;
  let nonBackground = 0;
  const perColour = colours.map(() => 0);
  let total = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < Math.min(mapWidth, png.width); x++) {
      const i = (y * png.width + x) * 4;
      total++;
      if (!near(png.data, i, background, 6)) nonBackground++;
      colours.forEach((c, k) => { if (near(png.data, i, c, 30)) perColour[k]++; });
    }
  }
  return { total, nonBackground, perColour };
}

before(async () => {
  if (skip) return;
  assert.ok(bin && fs.existsSync(bin), `WANGGE_BIN (${bin}) must name the built wangge executable`);
  assert.ok(fs.existsSync(chromiumPath), `${chromiumPath} is missing: run scripts/setup-web.sh`);
  assert.ok(setupDone, 'web/ or tests/e2e/ node_modules is missing: run scripts/setup-web.sh');
  ({ PNG } = await import('pngjs'));
  fs.mkdirSync(outDir, { recursive: true });
  const dataset = path.join(outDir, 'small.gpkg');
  fs.rmSync(dataset, { force: true });
  execFileSync(bin, ['synth', '--districts', path.join(sourceDir, 'data/putian/districts.geojson'),
    '--scale', 'small', '--seed', '1', '--output', dataset], { stdio: ['ignore', 'ignore', 'inherit'] });
  ({ child: server, url: base } = await startServer(dataset));

  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, viewport: { width: 1100, height: 700 },
    args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
});

after(async () => {
  await context?.close();
  server?.kill('SIGTERM');
});

test('the one-map page renders, locates a click and flies to a searched grid', { skip }, async (t) => {
  const levels = (await getJson('/collections')).collections.map((c) => c.id);
  const style = await getJson('/style.json');
  const target = await pointInsideAUnit(levels);

  await t.test('polygons render', async () => {
    await page.goto(`${base}/`);  // the whole dataset, as TileJSON's center says
    await waitIdle();
    assert.equal(await page.evaluate(() => window.wangge.error ?? null), null);
    const title = await page.title();
    assert.match(title, /网格/);
    const shot = path.join(outDir, 'onemap.png');
    await page.screenshot({ path: shot });
    const background = hexToRgb(style.layers.find((l) => l.id === 'background').paint['background-color']);
    const lineColours = levels.map((l) => hexToRgb(style.layers.find((s) => s.id === `${l}-line`).paint['line-color']));
    const mapWidth = await page.evaluate(() => document.getElementById('map').clientWidth);
    const counts = countPixels(shot, background, lineColours, mapWidth);
    console.log(`screenshot ${shot}: ${counts.nonBackground}/${counts.total} non-background pixels; per level colour ${levels.map((l, k) => `${l}=${counts.perColour[k]}`).join(' ')}`);
    assert.ok(counts.nonBackground > counts.total * 0.05, 'the map is mostly background: no polygons drawn');
    const levelsSeen = counts.perColour.filter((n) => n > 50).length;
    assert.ok(levelsSeen >= 3, `expected outlines of several levels, saw ${levelsSeen}`);
    const rendered = await page.evaluate(() => window.wangge.map.queryRenderedFeatures().length);
    assert.ok(rendered > 0);
    // Down to the units around the point the next steps click.
    await page.evaluate(([lon, lat]) => window.wangge.map.jumpTo({ center: [lon, lat], zoom: 16 }),
      [target.lon, target.lat]);
    await waitIdle();
    await page.screenshot({ path: path.join(outDir, 'onemap-units.png') });
  });

  await t.test('a click shows the unit the server locates there', async () => {
    const { x, y } = await page.evaluate(([lon, lat]) => window.wangge.map.project([lon, lat]), [target.lon, target.lat]);
    await page.mouse.click(x, y);
    await page.waitForFunction((code) => window.wangge.selected === code, target.unit, { timeout: 20_000 })
      .catch(async () => assert.fail(`panel shows ${await page.evaluate(() => window.wangge.selected)}, expected ${target.unit}`));
    const panel = await page.textContent('#panel');
    assert.ok(panel.includes(target.unit), panel);
    for (const level of levels.slice(0, -1)) {  // the chain up to the top level
      const code = target.answer.levels[level]?.code;
      if (code) assert.ok(panel.includes(code), `chain lacks ${level} ${code}: ${panel}`);
    }
    await page.screenshot({ path: path.join(outDir, 'onemap-click.png') });
  });

  await t.test('the locate mode answers with POST /v1/locate', async () => {
    await page.evaluate(() => { window.wangge.selected = null; });
    await page.check('#locate-mode');
    const { x, y } = await page.evaluate(([lon, lat]) => window.wangge.map.project([lon, lat]), [target.lon, target.lat]);
    await page.mouse.click(x, y);
    await page.waitForFunction((code) => window.wangge.selected === code, target.unit, { timeout: 20_000 });
    assert.match(await page.textContent('#panel'), /定位结果/);
    await page.uncheck('#locate-mode');
  });

  await t.test('searching a grid code flies to the grid', async () => {
    const gridLevel = levels.at(-2);
    const items = (await getJson(`/collections/${gridLevel}/items?limit=50`)).features;
    const grid = items.find((f) => f.properties.code !== target.answer.levels[gridLevel]?.code) ?? items[0];
    const region = await getJson(`/v1/regions/${grid.properties.code}`);
    await page.fill('#search-text', region.code);
    await page.press('#search-text', 'Enter');
    await page.waitForFunction((code) => window.wangge.selected === code, region.code, { timeout: 20_000 });
    await waitIdle();
    const center = await page.evaluate(() => window.wangge.map.getCenter().toArray());
    const [x0, y0, x1, y1] = region.bbox;
    assert.ok(center[0] >= x0 && center[0] <= x1 && center[1] >= y0 && center[1] <= y1,
      `map centre ${center} is outside grid ${region.code} ${region.bbox}`);
    await page.screenshot({ path: path.join(outDir, 'onemap-search.png') });
  });
});
