// TileId: one tile of the Web Mercator (EPSG:3857) XYZ tile pyramid, as served at
// /tiles/{z}/{x}/{y}.mvt: zoom z has 2^z × 2^z tiles, x grows east from 180°W, y grows south from
// 85.0511°N (the "XYZ" or "slippy map" scheme; MBTiles stores y flipped, see mbtiles.h). Also the
// lon/lat ↔ Mercator conversions the tiles module uses everywhere, so that every caller projects a
// vertex to the same bits.
//
//   Result<TileId> t = ParseTileId("15", "27080", "14035");   // from URL path segments
//   if (!t.ok()) return t.status();                           // kInvalidArgument: send 400
//   Box lonlat = TileBoundsLonLat(*t);
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "wangge/base/result.h"
#include "wangge/geometry/box.h"
#include "wangge/geometry/point.h"

namespace wangge {

// The deepest zoom rendered (2^24 tiles per axis; far beyond any useful detail).
inline constexpr uint32_t kMaxTileZoom = 24;
// Web Mercator's latitude limit: the world is the square ±kMaxMercatorLatitude.
inline constexpr double kMaxMercatorLatitude = 85.051128779806592;

struct TileId {
  uint32_t z = 0;
  uint32_t x = 0;
  uint32_t y = 0;
  friend bool operator==(const TileId&, const TileId&) = default;
};

// Returns the tile if z <= kMaxTileZoom and x, y < 2^z, else kInvalidArgument naming the bad part.
Result<TileId> MakeTileId(int64_t z, int64_t x, int64_t y);

// Parses decimal path segments (digits only, no sign, no leading '+', at most 10 digits) and
// checks the ranges as MakeTileId does. A trailing ".mvt" or ".pbf" on y is accepted.
Result<TileId> ParseTileId(std::string_view z, std::string_view x, std::string_view y);

// Projects lon/lat degrees to "world" coordinates: x in [0, 1] from 180°W to 180°E, y in [0, 1]
// from kMaxMercatorLatitude north to south (latitudes beyond the limit are clamped).
Point LonLatToWorld(const Point& lonlat);

// Inverse of LonLatToWorld.
Point WorldToLonLat(const Point& world);

// Returns the tile's extent in lon/lat degrees.
Box TileBoundsLonLat(const TileId& tile);

// Returns the inclusive range of tiles at zoom `z` that intersect `lonlat` (clamped to the world).
// REQUIRES: !lonlat.empty(), z <= kMaxTileZoom.
struct TileRange {
  uint32_t z = 0;
  uint32_t min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  uint64_t size() const { return uint64_t{max_x - min_x + 1} * (max_y - min_y + 1); }
};
TileRange TilesCovering(const Box& lonlat, uint32_t z);

}  // namespace wangge
