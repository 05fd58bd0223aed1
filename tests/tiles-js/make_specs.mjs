// Writes, for each @mapbox/mvt-fixtures case that applies to wangge's encoder, a JSON "spec" of what
// the fixture holds — layers, features, ids, typed property values (from the fixture's JSON form)
// and geometry decoded by @mapbox/vector-tile — for tiles_js_writer to encode with wangge's MVT
// encoder. decode.test.js then compares the two tiles decoded by @mapbox/vector-tile.
//   node make_specs.mjs OUT_DIR      → OUT_DIR/specs/<id>.json
import fs from 'node:fs';
import path from 'node:path';
import { PbfReader as Pbf } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import * as mvtf from '@mapbox/mvt-fixtures';
import { SKIPPED, applicable } from './fixtures.mjs';

const out = path.join(process.argv[2] ?? 'out', 'specs');
fs.mkdirSync(out, { recursive: true });
let written = 0;
mvtf.each((fixture) => {
  if (!applicable(fixture)) return;
  const tile = new VectorTile(new Pbf(fixture.buffer));
  const layers = (fixture.json.layers ?? []).map((raw) => {
    const layer = tile.layers[raw.name];
    return {
      name: raw.name,
      version: layer.version,
      extent: layer.extent,
      features: (raw.features ?? []).map((f, i) => {
        const properties = [];
        for (let t = 0; t + 1 < (f.tags ?? []).length; t += 2) {
          let value = raw.values[f.tags[t + 1]];
          // Fixture 076 declares a string value as a JSON number; protobuf writes its text.
          if ('string_value' in value) value = { string_value: String(value.string_value) };
          properties.push([raw.keys[f.tags[t]], value]);
        }
        const geometry = layer.feature(i).loadGeometry().map((part) => {
          const points = part.map((p) => [p.x, p.y]);
          if (f.type === 3 && points.length > 1) points.pop(); // the decoder closes rings
          return points;
        });
        return { id: f.id ?? null, type: f.type, properties, geometry };
      }),
    };
  });
  fs.writeFileSync(path.join(out, `${fixture.id}.json`), JSON.stringify({ id: fixture.id, layers }));
  ++written;
});
console.log(`wrote ${written} fixture specs to ${out} (skipped: ${Object.keys(SKIPPED).join(', ')})`);
