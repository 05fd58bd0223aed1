// WriteMbtiles: renders a zoom range of a TileSource into an MBTiles 1.3 file (SQLite), the offline
// tile package for networks that cannot reach the server (`wangge tiles DATASET --zoom 8-16
// --output putian.mbtiles`). Tiles are gzip-compressed MVT as MBTiles expects for format "pbf",
// rows use the TMS scheme (tile_row = 2^z - 1 - y), the metadata table carries name, format,
// bounds, center, minzoom, maxzoom and json {"vector_layers": [...]}. Only tiles that intersect the
// data's bounds are rendered; empty ones are not stored. All cores render; one thread writes.
// The file appears atomically: it is written as PATH.partial and renamed at the end, and an
// existing PATH is replaced.
//
//   MbtilesOptions o{.min_zoom = 8, .max_zoom = 16};
//   Result<MbtilesStats> stats = WriteMbtiles(*tiles, "putian.mbtiles", o);
//
// Thread safety: reentrant; `source` is only read.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/tiles/tile_source.h"

namespace wangge {

struct MbtilesOptions {
  uint32_t min_zoom = 0;
  uint32_t max_zoom = 16;
  // Rendering threads; 0 = one per core.
  size_t threads = 0;
  // gzip level of the stored tiles.
  int gzip_level = 6;
  // Called on the writing thread after each finished zoom level, if set.
  std::function<void(uint32_t zoom, uint64_t tiles_written)> on_zoom_done;
};

struct MbtilesStats {
  uint64_t tiles_rendered = 0;  // tiles visited (intersecting the bounds)
  uint64_t tiles_written = 0;   // non-empty tiles stored
  uint64_t mvt_bytes = 0;       // uncompressed MVT bytes of the stored tiles
  uint64_t stored_bytes = 0;    // gzip bytes stored
  double seconds = 0;
  std::vector<uint64_t> written_per_zoom;  // index = zoom
};

// REQUIRES: min_zoom <= max_zoom <= kMaxTileZoom (else kInvalidArgument). kIoError when the file
// cannot be written.
Result<MbtilesStats> WriteMbtiles(const TileSource& source, const std::string& path,
                                  const MbtilesOptions& options);

}  // namespace wangge
