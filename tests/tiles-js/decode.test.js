// Decodes wangge's tiles with @mapbox/vector-tile + pbf (an independent decoder):
//  1. the @mapbox/mvt-fixtures cases that apply, re-encoded by wangge's encoder (tiles_js_writer),
//     decode to exactly what the fixtures decode to;
//  2. tiles rendered by TileSource from a synthetic hierarchy are valid MVT 2.1 as wangge promises
//     (layers, ids, properties, winding, coordinates), and together show every region.
// Reads the files tiles_js_writer wrote under $WANGGE_TILES_JS_DIR (default ./out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PbfReader as Pbf } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import * as mvtf from '@mapbox/mvt-fixtures';
import { applicable } from './fixtures.mjs';

const dir = process.env.WANGGE_TILES_JS_DIR ?? 'out';

function decode(buffer) {
  const tile = new VectorTile(new Pbf(buffer));
  const layers = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features = [];
    for (let i = 0; i < layer.length; ++i) {
      const f = layer.feature(i);
      features.push({
        id: f.id,
        type: f.type,
        properties: f.properties,
        geometry: f.loadGeometry().map((part) => part.map((p) => [p.x, p.y])),
      });
    }
    layers[name] = { version: layer.version, extent: layer.extent, features };
  }
  return layers;
}

// Twice the signed area by MVT 2.1's formula: positive for exterior rings.
function area2(ring) {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; ++i) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

test('the applicable mvt-fixtures round-trip through wangge\'s encoder', () => {
  let compared = 0;
  mvtf.each((fixture) => {
    if (!applicable(fixture)) return;
    const ours = fs.readFileSync(path.join(dir, 'encoded', `${fixture.id}.mvt`));
    assert.deepStrictEqual(decode(ours), decode(fixture.buffer), `fixture ${fixture.id}`);
    ++compared;
  });
  assert.ok(compared >= 40, `only ${compared} fixtures compared`);
});

test('rendered tiles are valid MVT 2.1 and show every region', () => {
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'rendered', 'index.json'), 'utf8'));
  const seen = {};
  for (const t of index.tiles) {
    const layers = decode(fs.readFileSync(path.join(dir, 'rendered', t.file)));
    assert.ok(Object.keys(layers).length > 0, `${t.file} has no layer`);
    for (const [name, layer] of Object.entries(layers)) {
      assert.ok(name === 'labels' || index.levels.includes(name), `unknown layer ${name}`);
      assert.equal(layer.version, 2);
      assert.equal(layer.extent, 4096);
      assert.ok(layer.features.length > 0, `empty layer ${name} in ${t.file}`);
      for (const f of layer.features) {
        assert.ok(Number.isInteger(f.id) && f.id >= 1, `feature id ${f.id}`);
        for (const key of ['code', 'name', 'level', 'parent']) {
          assert.equal(typeof f.properties[key], 'string', `${key} in ${t.file}`);
        }
        if (name === 'labels') {
          assert.equal(f.type, 1);
          assert.equal(f.geometry.length, 1);
          const [[x, y]] = f.geometry[0];
          assert.ok(x >= 0 && x < 4096 && y >= 0 && y < 4096, `label outside its tile: ${x},${y}`);
          continue;
        }
        assert.equal(f.type, 3);
        assert.equal(f.properties.level, name);
        assert.ok(area2(f.geometry[0]) > 0, `first ring of ${f.properties.code} is not exterior`);
        for (const ring of f.geometry) {
          assert.ok(ring.length >= 4, 'ring with fewer than 3 distinct points');
          assert.notEqual(area2(ring), 0, 'ring without area');
          for (const [x, y] of ring) {
            assert.ok(x >= -64 && x <= 4160 && y >= -64 && y <= 4160, `outside the buffer: ${x},${y}`);
          }
        }
        (seen[name] ??= new Set()).add(f.properties.code);
        assert.equal(f.properties.parent, index.parents[f.properties.code]);
      }
    }
  }
  for (const level of index.levels) {
    assert.deepStrictEqual([...(seen[level] ?? [])].sort(), [...index.codes[level]].sort(), level);
  }
});
