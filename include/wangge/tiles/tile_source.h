// TileSource: renders Mapbox Vector Tiles (MVT 2.1) of one Hierarchy, plus the TileJSON and the
// MapLibre style that describe them. Built once per snapshot; Render() is then a pure function of
// (z, x, y), so any number of threads render at once and any HTTP cache may keep the bytes for as
// long as the snapshot version stays the same.
//
//   Result<TileSource> tiles = TileSource::Build(hierarchy);      // hierarchy must outlive it
//   Result<std::string> mvt = tiles->Render(15, 27080, 14035);   // kInvalidArgument → HTTP 400
//   if (mvt.ok() && mvt->empty()) { /* nothing there: HTTP 204 */ }
//   std::string tilejson = tiles->TileJson("http://host:8080", snapshot.version);
//
// What a tile holds:
//   - one layer per level shown at that zoom (ZoomRange per level), named after the level
//     (Level::name), with one polygon feature per region that reaches into the tile + buffer:
//     feature id = RegionId + 1 (stable within a version), properties code, name, level (the level
//     name) and parent (the parent's code, "" at the top level);
//   - a layer "labels" with one point per region of those levels whose label point (the pole of
//     inaccessibility of its largest polygon, computed at Build) lies inside the tile, with the
//     same id and properties.
//   Empty layers are left out; a tile with no layer is the empty string.
//
// Geometry: Web Mercator, extent 4096 (configurable), y down. Each polygon is clipped to the tile +
// buffer as a whole (rings' runs inside the box joined along its border; a hole cut by the border
// opens into its shell), so clipped rings stay valid, with no zero-width edges along the border;
// coordinates are rounded to the integer grid; repeated points and zero-width spikes removed;
// rings with no area after rounding dropped (a dropped exterior takes its holes with it);
// exterior rings have positive area by MVT 2.1's formula (clockwise on screen), holes negative.
//
// Seamless simplification: at zoom z, every level shown uses the same per-vertex keep decision,
// taken from the arcs of the finest level shown at z (the topology module's LevelTopology when
// given to Build, else extracted the same way; see src/core/tiles/internal/keep_table.h):
// each shared arc is simplified once (Douglas–Peucker, `simplify_tolerance` tile units), and a
// vertex is kept or dropped the same way in every ring through it — both neighbours and the parent.
// With edge-matched data (what `wangge check` calls a clean coverage), neighbours share identical
// borders at every zoom and children tile their parent's part of the tile exactly. Where a level
// is not edge-matched (vertices missing from the finer level, or regions the topology marks not
// seamless), those regions are simplified per polygon, and notes() says so.
//
// Build is quick (indexes only): each node level's keep table and each region's label point are
// computed once, on first use — by the first Render of a zoom that needs them (that tile takes
// longer: up to about a second for the finest level of a Putian-sized city), by Prepare(), or by
// notes() — so that a server is ready without waiting for zooms nobody asked for. The tiles are
// the same whenever the tables are built.
//
// Caching is the caller's business (see tile_cache.h). Besides those build-once tables TileSource
// keeps no mutable state.
// Thread safety: Render, Prepare, notes, label_point, TileJson and Style may run concurrently
// (a table is built by one caller while the others that need it wait).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/geometry/box.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/tiles/tile_id.h"
#include "wangge/topology/level_topology.h"

namespace wangge {

// The zooms at which a level's layer (and its labels) appear, inclusive.
struct ZoomRange {
  uint32_t min_zoom = 0;
  uint32_t max_zoom = kMaxTileZoom;
};

// Returns the default range of a level: by name for Putian's six levels (city 0, district 8,
// town 10, community 11, grid 13, unit 15, each up to kMaxTileZoom); for other names by position
// (level 0 → 0, 1 → 8, 2 → 10, 3 → 11, 4 → 13, 5 and deeper → 15).
ZoomRange DefaultZoomRange(std::string_view level_name, size_t level_index);

struct TileSourceOptions {
  // Per level name; levels not listed get DefaultZoomRange.
  std::map<std::string, ZoomRange, std::less<>> zoom_ranges;
  uint32_t extent = 4096;
  // Clip margin around the tile, in tile units.
  uint32_t buffer = 64;
  // Douglas–Peucker tolerance in tile units (1 = one grid step of `extent`); 0 = no simplification.
  double simplify_tolerance = 1.0;
  // Zooms advertised in TileJSON (clients overzoom beyond max_zoom). Render accepts any zoom up to
  // kMaxTileZoom.
  uint32_t min_zoom = 0;
  uint32_t max_zoom = 16;
  bool labels = true;
  // Name of the tileset (TileJSON "name", MBTiles metadata).
  std::string name = "wangge";
  // Font stack of the style's labels; the server must serve its glyph ranges at
  // {base_url}/fonts/{fontstack}/{range}.pbf (CJK glyphs are drawn by the browser from local
  // fonts, see Style()).
  std::string font_stack = "Noto Sans Regular";
};

// One layer as TileJSON's vector_layers lists it.
struct VectorLayerInfo {
  std::string id;           // the MVT layer name
  std::string description;  // the level's label, e.g. "网格"
  uint32_t min_zoom = 0;
  uint32_t max_zoom = 0;
};

class TileSource {
 public:
  // Builds the indexes of `hierarchy`; the per-zoom simplification tables and the label points
  // follow on first use (see above). `topology`, if given (e.g. BuildTopology(hierarchy,
  // &coverage_report), which the snapshot may hold anyway), supplies the shared arcs of the levels
  // it covers, and their tables are built here, since it is not retained after Build; levels
  // without an entry get their arcs extracted when first needed.
  // REQUIRES: `hierarchy` outlives the TileSource and is not moved; topology built from it.
  // kInvalidArgument for bad options (extent 0, a zoom range with min > max, a range for an
  // unknown level).
  static Result<TileSource> Build(const Hierarchy& hierarchy, TileSourceOptions options = {},
                                  std::span<const LevelTopology> topology = {});

  TileSource(TileSource&&) noexcept;
  TileSource& operator=(TileSource&&) noexcept;
  ~TileSource();

  // Returns the MVT bytes of tile z/x/y (uncompressed), the empty string when the tile has no
  // feature, or kInvalidArgument when z > kMaxTileZoom or x, y are outside 0..2^z-1.
  Result<std::string> Render(int64_t z, int64_t x, int64_t y) const;
  Result<std::string> Render(const TileId& tile) const { return Render(tile.z, tile.x, tile.y); }

  // Returns TileJSON 3.0.0 for tiles served at {base_url}/tiles/{z}/{x}/{y}.mvt; `version` (the
  // snapshot version) is appended to the tile URL as ?v= so browser caches never mix versions.
  // `base_url` has no trailing slash, e.g. "http://127.0.0.1:8080" or "" (relative URLs).
  std::string TileJson(std::string_view base_url, std::string_view version) const;

  // Returns a MapLibre style (spec v8) with the source {base_url}/tiles.json, per level a fill,
  // an outline and a label layer in that level's colour and zoom range, and glyphs at
  // {base_url}/fonts/{fontstack}/{range}.pbf. Chinese (CJK) label text is drawn by MapLibre from
  // the browser's local fonts (its localIdeographFontFamily, default "sans-serif"), so the server
  // needs only the glyph ranges of the font stack's Latin text (0-255, digits of codes) and may
  // answer 404 for others; the style works offline.
  std::string Style(std::string_view base_url) const;

  // Returns the JSON object {"vector_layers": [...]} (MBTiles metadata "json").
  std::string VectorLayersJson() const;

  std::span<const VectorLayerInfo> vector_layers() const;
  // Returns the zoom range of level `level`.
  ZoomRange zoom_range(size_t level) const;
  const TileSourceOptions& options() const;
  // Returns the lon/lat bounds of everything rendered.
  const Box& bounds() const;
  // Builds every simplification table and label point not built yet, on all cores: what a server
  // may run in the background once it is ready, or a tile writer before timing tiles. Idempotent.
  void Prepare() const;

  // Returns what building the simplification tables found worth logging: levels simplified per
  // polygon, edges not matched between levels, overlapping regions. Empty for a clean,
  // edge-matched hierarchy. Runs Prepare() first.
  std::span<const std::string> notes() const;
  // Returns the label point of region `id` (lon/lat). REQUIRES: id < region_count().
  Point label_point(RegionId id) const;

 private:
  struct Data;
  explicit TileSource(std::unique_ptr<const Data> data);
  std::unique_ptr<const Data> data_;
};

}  // namespace wangge
