// Which @mapbox/mvt-fixtures cases wangge's encoder must reproduce: every case valid in MVT 2.x,
// except those that test a decoder's robustness against input an encoder must not (or cannot)
// produce.
export const SKIPPED = {
  '016': 'UNKNOWN geometry type: wangge never writes it',
  '025': 'a layer without features: encoders should not write it (the fixture says so)',
  '049': 'x coordinate beyond int32: tile coordinates are int32',
  '050': 'y coordinate beyond int32: tile coordinates are int32',
  '057': 'a gigantic MoveTo count: a decoder over-allocation test',
};

export function applicable(fixture) {
  return fixture.validity?.v2 === true && !(fixture.id in SKIPPED);
}
