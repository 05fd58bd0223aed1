#include "wangge/tiles/tile_id.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <string>

namespace wangge {
namespace {

Result<int64_t> ParseSegment(std::string_view text, std::string_view what) {
  if (text.empty() || text.size() > 10) {
    return Status::InvalidArgument("tile " + std::string(what) + " '" + std::string(text) +
                                   "' is not a number of 1 to 10 digits");
  }
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.front() == '-') {
    return Status::InvalidArgument("tile " + std::string(what) + " '" + std::string(text) +
                                   "' is not a non-negative integer");
  }
  return value;
}

}  // namespace

Result<TileId> MakeTileId(int64_t z, int64_t x, int64_t y) {
  if (z < 0 || z > static_cast<int64_t>(kMaxTileZoom)) {
    return Status::InvalidArgument("tile zoom " + std::to_string(z) + " is outside 0.." +
                                   std::to_string(kMaxTileZoom));
  }
  const int64_t n = int64_t{1} << z;
  if (x < 0 || x >= n) {
    return Status::InvalidArgument("tile x " + std::to_string(x) + " is outside 0.." +
                                   std::to_string(n - 1) + " at zoom " + std::to_string(z));
  }
  if (y < 0 || y >= n) {
    return Status::InvalidArgument("tile y " + std::to_string(y) + " is outside 0.." +
                                   std::to_string(n - 1) + " at zoom " + std::to_string(z));
  }
  return TileId{static_cast<uint32_t>(z), static_cast<uint32_t>(x), static_cast<uint32_t>(y)};
}

Result<TileId> ParseTileId(std::string_view z, std::string_view x, std::string_view y) {
  for (std::string_view suffix : {".mvt", ".pbf"}) {
    if (y.size() > suffix.size() && y.substr(y.size() - suffix.size()) == suffix) {
      y.remove_suffix(suffix.size());
      break;
    }
  }
  Result<int64_t> zv = ParseSegment(z, "zoom");
  if (!zv.ok()) return zv.status();
  Result<int64_t> xv = ParseSegment(x, "x");
  if (!xv.ok()) return xv.status();
  Result<int64_t> yv = ParseSegment(y, "y");
  if (!yv.ok()) return yv.status();
  return MakeTileId(*zv, *xv, *yv);
}

Point LonLatToWorld(const Point& lonlat) {
  const double lat = std::clamp(lonlat.y, -kMaxMercatorLatitude, kMaxMercatorLatitude);
  const double s = std::sin(lat * (std::numbers::pi / 180));
  const double y = 0.5 - std::log((1 + s) / (1 - s)) / (4 * std::numbers::pi);
  return {lonlat.x / 360 + 0.5, std::clamp(y, 0.0, 1.0)};
}

Point WorldToLonLat(const Point& world) {
  const double lat = std::atan(std::sinh(std::numbers::pi * (1 - 2 * world.y)));
  return {(world.x - 0.5) * 360, lat * (180 / std::numbers::pi)};
}

Box TileBoundsLonLat(const TileId& tile) {
  const double n = std::ldexp(1.0, static_cast<int>(tile.z));
  const Point nw = WorldToLonLat({tile.x / n, tile.y / n});
  const Point se = WorldToLonLat({(tile.x + 1) / n, (tile.y + 1) / n});
  return {nw.x, se.y, se.x, nw.y};
}

TileRange TilesCovering(const Box& lonlat, uint32_t z) {
  const double n = std::ldexp(1.0, static_cast<int>(z));
  const Point nw = LonLatToWorld({lonlat.min_x, lonlat.max_y});
  const Point se = LonLatToWorld({lonlat.max_x, lonlat.min_y});
  auto cell = [n](double w) {
    return static_cast<uint32_t>(std::clamp(std::floor(w * n), 0.0, n - 1));
  };
  return {z, cell(nw.x), cell(nw.y), cell(se.x), cell(se.y)};
}

}  // namespace wangge
