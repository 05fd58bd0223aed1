#include "wangge/tiles/tile_source.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "tiles/internal/box_index.h"
#include "tiles/internal/keep_table.h"
#include "tiles/internal/label_point.h"
#include "tiles/internal/mvt_writer.h"
#include "tiles/internal/ring_clip.h"

namespace wangge {
namespace {

using internal::MvtGeometry;
using internal::MvtGeomType;
using internal::MvtLayerWriter;
using internal::MvtProperty;
using internal::TilePoint;

// Rings longer than this get per-chunk bounding boxes, so that a tile skips the parts of a long
// border (a district's, say) that lie outside it.
constexpr size_t kChunk = 32;

constexpr std::string_view kLabelsLayer = "labels";

// Runs body(i) for i in [0, n) on all cores.
template <typename Body>
void ParallelFor(size_t n, Body body) {
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) body(i);
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < std::min(threads, n); ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

const char* LevelColour(size_t level) {
  static constexpr const char* kColours[] = {"#4d4d4d", "#d7301f", "#f16913", "#2171b5",
                                             "#238b45", "#6a51a3", "#a6761d", "#e7298a"};
  return kColours[level % std::size(kColours)];
}

}  // namespace

ZoomRange DefaultZoomRange(std::string_view level_name, size_t level_index) {
  static constexpr std::pair<std::string_view, uint32_t> kByName[] = {
      {"city", 0}, {"district", 8}, {"town", 10}, {"community", 11}, {"grid", 13}, {"unit", 15}};
  for (const auto& [name, zoom] : kByName) {
    if (name == level_name) return {zoom, kMaxTileZoom};
  }
  static constexpr uint32_t kByIndex[] = {0, 8, 10, 11, 13, 15};
  return {kByIndex[std::min<size_t>(level_index, std::size(kByIndex) - 1)], kMaxTileZoom};
}

struct TileSource::Data {
  const Hierarchy* hierarchy = nullptr;
  TileSourceOptions options;
  std::vector<ZoomRange> ranges;  // per level
  std::vector<VectorLayerInfo> layers;
  Box bounds;
  std::vector<internal::BoxIndex> index;  // per level
  internal::PointLayout layout;
  std::vector<uint32_t> ring_begin;   // per region: its first ring in the global ring numbering
  std::vector<uint64_t> chunk_begin;  // per global ring (+1): its chunks in chunk_boxes
  std::vector<Box> chunk_boxes;
  std::vector<int> node_level;      // per zoom: the finest level shown, or -1
  std::vector<size_t> node_levels;  // the levels used as node level, coarse to fine
  double tolerance_world = 0;

  // Built once, on first use (see KeepTable, Label): the keep table of a node level, with what
  // building it found worth noting.
  struct Keep {
    std::once_flag once;
    std::vector<uint8_t> table;  // min zoom per point of the levels <= the node level
    std::vector<std::string> notes;
  };
  std::vector<std::unique_ptr<Keep>> keep;       // per level; null unless a node level
  std::unique_ptr<std::once_flag[]> label_once;  // per region
  mutable std::vector<Point> labels;             // per region; written once, under its flag
  mutable std::once_flag notes_once;
  mutable std::vector<std::string> notes;
  // The Web Mercator y of every point (layout order), built once on first use: a tile then
  // projects a kept vertex with a multiply-add instead of a sine and a logarithm.
  mutable std::once_flag world_y_once;
  mutable std::vector<double> world_y;

  explicit Data(const Hierarchy& h) : hierarchy(&h), layout(h) {}

  // Returns the keep table of node level `level`, building it on first use.
  const std::vector<uint8_t>& KeepTable(size_t level,
                                        const LevelTopology* topology = nullptr) const {
    Keep& k = *keep[level];
    std::call_once(k.once, [&] {
      k.table =
          internal::BuildKeepTable(*hierarchy, layout, level, tolerance_world, &k.notes, topology);
    });
    return k.table;
  }

  // Returns the label point of region `r`, computing it on first use.
  const Point& Label(RegionId r) const {
    std::call_once(label_once[r],
                   [&] { labels[r] = internal::LabelPoint(hierarchy->geometry(r)); });
    return labels[r];
  }

  // Returns the Web Mercator y of every point, building it on first use.
  const std::vector<double>& WorldY() const {
    std::call_once(world_y_once, [&] {
      world_y.resize(layout.size());
      ParallelFor(hierarchy->region_count(), [&](size_t r) {
        const std::span<const Point> points =
            hierarchy->geometry(static_cast<RegionId>(r)).points();
        double* out = world_y.data() + layout.region_begin[r];
        for (const Point& p : points) *out++ = LonLatToWorld(p).y;
      });
    });
    return world_y;
  }

  // Builds every keep table and label point not built yet, on all cores.
  void PrepareAll() const {
    const size_t n = node_levels.size();
    constexpr size_t kBatch = 512;
    const size_t regions = hierarchy->region_count();
    const size_t label_batches = options.labels ? (regions + kBatch - 1) / kBatch : 0;
    // Finest (largest) tables first, then the label points in batches, so that no core idles
    // behind the biggest table.
    ParallelFor(n + 1 + label_batches, [&](size_t task) {
      if (task < n) {
        KeepTable(node_levels[n - 1 - task]);
        return;
      }
      if (task == n) {
        WorldY();
        return;
      }
      const size_t batch = task - n - 1;
      const size_t end = std::min(regions, (batch + 1) * kBatch);
      for (size_t r = batch * kBatch; r < end; ++r) Label(static_cast<RegionId>(r));
    });
  }
};

TileSource::TileSource(std::unique_ptr<const Data> data) : data_(std::move(data)) {}
TileSource::TileSource(TileSource&&) noexcept = default;
TileSource& TileSource::operator=(TileSource&&) noexcept = default;
TileSource::~TileSource() = default;

Result<TileSource> TileSource::Build(const Hierarchy& h, TileSourceOptions options,
                                     std::span<const LevelTopology> topology) {
  if (options.extent == 0 || options.extent > (1u << 20)) {
    return Status::InvalidArgument("tile extent must be 1.." + std::to_string(1u << 20));
  }
  if (!(options.simplify_tolerance >= 0)) {
    return Status::InvalidArgument("simplify tolerance must be >= 0");
  }
  if (options.min_zoom > options.max_zoom || options.max_zoom > kMaxTileZoom) {
    return Status::InvalidArgument("tileset zooms must satisfy min <= max <= " +
                                   std::to_string(kMaxTileZoom));
  }
  for (const auto& [name, range] : options.zoom_ranges) {
    if (!h.FindLevel(name)) {
      return Status::InvalidArgument("zoom range given for unknown level '" + name + "'");
    }
    if (range.min_zoom > range.max_zoom || range.max_zoom > kMaxTileZoom) {
      return Status::InvalidArgument(
          "zoom range of level '" + name +
          "' must satisfy min <= max <= " + std::to_string(kMaxTileZoom));
    }
  }

  auto data = std::make_unique<Data>(h);
  data->options = std::move(options);
  const TileSourceOptions& o = data->options;
  const size_t level_count = h.level_count();

  for (size_t level = 0; level < level_count; ++level) {
    const Level& l = h.levels()[level];
    auto it = o.zoom_ranges.find(l.name);
    const ZoomRange range =
        it != o.zoom_ranges.end() ? it->second : DefaultZoomRange(l.name, level);
    data->ranges.push_back(range);
    data->layers.push_back({l.name, l.label, std::max(range.min_zoom, o.min_zoom),
                            std::min(range.max_zoom, o.max_zoom)});
  }
  if (o.labels) {
    uint32_t lo = kMaxTileZoom, hi = 0;
    for (const ZoomRange& r : data->ranges) {
      lo = std::min(lo, r.min_zoom);
      hi = std::max(hi, r.max_zoom);
    }
    data->layers.push_back({std::string(kLabelsLayer), "label points of all levels",
                            std::max(lo, o.min_zoom), std::min(hi, o.max_zoom)});
  }

  // Spatial index per level, chunk boxes of long rings.
  data->bounds = h.bounds();
  for (size_t level = 0; level < level_count; ++level) {
    std::vector<Box> boxes(h.region_count());
    for (RegionId r : h.regions(level)) boxes[r] = h.bounds(r);
    data->index.emplace_back(boxes);
  }
  data->ring_begin.resize(h.region_count() + 1);
  data->chunk_begin.push_back(0);
  for (RegionId r = 0; r < h.region_count(); ++r) {
    const MultiPolygonView g = h.geometry(r);
    data->ring_begin[r + 1] = data->ring_begin[r] + static_cast<uint32_t>(g.ring_count());
    for (size_t k = 0; k < g.ring_count(); ++k) {
      const RingView ring = g.ring(k);
      const size_t n = ring.empty() ? 0 : ring.size() - 1;
      if (n > 2 * kChunk) {
        for (size_t c = 0; c < n; c += kChunk) {
          Box box;
          for (size_t i = c; i < std::min(n, c + kChunk); ++i) box.Add(ring[i]);
          data->chunk_boxes.push_back(box);
        }
      }
      data->chunk_begin.push_back(data->chunk_boxes.size());
    }
  }

  // The finest level shown at each zoom decides which vertices every level keeps there.
  data->node_level.assign(kMaxTileZoom + 1, -1);
  for (uint32_t z = 0; z <= kMaxTileZoom; ++z) {
    for (size_t level = 0; level < level_count; ++level) {
      if (data->ranges[level].min_zoom <= z && z <= data->ranges[level].max_zoom) {
        data->node_level[z] = static_cast<int>(level);
      }
    }
  }
  std::vector<size_t> node_levels;
  for (int level : data->node_level) {
    if (level >= 0 &&
        std::find(node_levels.begin(), node_levels.end(), level) == node_levels.end()) {
      node_levels.push_back(static_cast<size_t>(level));
    }
  }
  data->node_levels = node_levels;
  std::sort(data->node_levels.begin(), data->node_levels.end());
  data->keep.resize(level_count);
  for (size_t level : node_levels) data->keep[level] = std::make_unique<Data::Keep>();
  data->label_once = std::make_unique<std::once_flag[]>(h.region_count());
  data->labels.resize(h.region_count());
  data->tolerance_world = o.simplify_tolerance / o.extent;
  // The topology is not retained: the tables of the levels it covers are built now.
  for (const LevelTopology& t : topology) {
    if (t.level() < level_count && data->keep[t.level()]) data->KeepTable(t.level(), &t);
  }
  return TileSource(std::move(data));
}

namespace {

// Everything one Render call needs about its tile.
struct TileFrame {
  uint32_t z;
  double scale;   // 2^z
  double x0, y0;  // tile origin in world units × 2^z
  double extent;
  Box clip;         // tile coordinates
  Box clip_lonlat;  // the same box in lon/lat, grown by a hair so "outside" is certain

  Point Project(const Point& lonlat) const { return Project(lonlat, LonLatToWorld(lonlat).y); }
  // The same for a vertex whose world y (LonLatToWorld(lonlat).y) is known.
  Point Project(const Point& lonlat, double world_y) const {
    return {((lonlat.x / 360 + 0.5) * scale - x0) * extent, (world_y * scale - y0) * extent};
  }
  bool Outside(const Box& lonlat) const {
    return lonlat.max_x < clip_lonlat.min_x || lonlat.min_x > clip_lonlat.max_x ||
           lonlat.max_y < clip_lonlat.min_y || lonlat.min_y > clip_lonlat.max_y;
  }
};

struct Scratch {
  std::vector<std::vector<Point>> rings;
  internal::ClippedPolygon clipped;
  std::vector<TilePoint> ring;
  std::vector<RegionId> candidates;
  MvtGeometry geometry;
};

}  // namespace

Result<std::string> TileSource::Render(int64_t z, int64_t x, int64_t y) const {
  Result<TileId> id = MakeTileId(z, x, y);
  if (!id.ok()) return id.status();
  const Data& d = *data_;
  const Hierarchy& h = *d.hierarchy;
  const int node = d.node_level[id->z];
  if (node < 0) return std::string();

  TileFrame f;
  f.z = id->z;
  f.scale = std::ldexp(1.0, static_cast<int>(id->z));
  f.x0 = id->x;
  f.y0 = id->y;
  f.extent = d.options.extent;
  const double b = d.options.buffer;
  f.clip = {-b, -b, f.extent + b, f.extent + b};
  {
    const Point nw =
        WorldToLonLat({(id->x - b / f.extent) / f.scale, (id->y - b / f.extent) / f.scale});
    const Point se =
        WorldToLonLat({(id->x + 1 + b / f.extent) / f.scale, (id->y + 1 + b / f.extent) / f.scale});
    const double eps = 1e-9;
    f.clip_lonlat = {nw.x - eps, se.y - eps, se.x + eps, nw.y + eps};
  }
  if (!f.clip_lonlat.Intersects(d.bounds)) return std::string();

  const std::vector<uint8_t>& keep = d.KeepTable(static_cast<size_t>(node));
  const std::vector<double>& world_y = d.WorldY();
  Scratch s;
  internal::MvtTileWriter tile;
  const uint8_t zoom = static_cast<uint8_t>(f.z);
  for (size_t level = 0; level < h.level_count(); ++level) {
    if (f.z < d.ranges[level].min_zoom || f.z > d.ranges[level].max_zoom) continue;
    s.candidates.clear();
    d.index[level].Query(f.clip_lonlat, [&](uint32_t r) { s.candidates.push_back(r); });
    if (s.candidates.empty()) continue;
    std::sort(s.candidates.begin(), s.candidates.end());
    const std::string_view level_name = h.levels()[level].name;
    MvtLayerWriter layer(level_name, d.options.extent);
    for (RegionId r : s.candidates) {
      const MultiPolygonView g = h.geometry(r);
      s.geometry.Clear();
      uint64_t point_offset = d.layout.region_begin[r];
      size_t ring_index = 0;
      for (size_t p = 0; p < g.polygon_count(); ++p) {
        const PolygonView polygon = g.polygon(p);
        // 1. Per ring, the vertices kept at this zoom, projected; chunks outside the clip box
        // shrink to their first and last kept vertex (exact for the clipped result: a chunk wholly
        // beyond one side of the box stays beyond it, so it adds no run inside the box).
        size_t ring_count = 0;
        Box polygon_box;
        for (size_t k = 0; k < polygon.ring_count(); ++k, ++ring_index) {
          const RingView ring = polygon.ring(k);
          const uint64_t ring_offset = point_offset;
          point_offset += ring.size();
          if (k > 0 && ring_count == 0) continue;  // the shell is gone: so are its holes
          if (s.rings.size() <= ring_count) s.rings.emplace_back();
          std::vector<Point>& path = s.rings[ring_count];
          path.clear();
          const size_t n = ring.empty() ? 0 : ring.size() - 1;
          const uint8_t* kz = keep.data() + ring_offset;
          const double* wy = world_y.data() + ring_offset;
          const uint64_t global_ring = d.ring_begin[r] + ring_index;
          const uint64_t c0 = d.chunk_begin[global_ring];
          const uint64_t c1 = d.chunk_begin[global_ring + 1];
          auto emit = [&](size_t i) {
            const Point q = f.Project(ring[i], wy[i]);
            path.push_back(q);
            polygon_box.Add(q);
          };
          if (c0 == c1) {
            for (size_t i = 0; i < n; ++i) {
              if (kz[i] <= zoom) emit(i);
            }
          } else {
            for (uint64_t c = c0; c < c1; ++c) {
              const size_t begin = (c - c0) * kChunk;
              const size_t end = std::min(n, begin + kChunk);
              if (f.Outside(d.chunk_boxes[c])) {
                size_t first = begin;
                while (first < end && kz[first] > zoom) ++first;
                if (first == end) continue;
                size_t last = end - 1;
                while (kz[last] > zoom) --last;
                emit(first);
                if (last != first) emit(last);
              } else {
                for (size_t i = begin; i < end; ++i) {
                  if (kz[i] <= zoom) emit(i);
                }
              }
            }
          }
          // Shell positive, holes negative (MVT 2.1); rings without area go.
          const double area2 = internal::MvtArea2(path);
          if (path.size() < 3 || area2 == 0) continue;
          if ((k == 0) != (area2 > 0)) std::reverse(path.begin(), path.end());
          ++ring_count;
        }
        if (ring_count == 0) continue;
        // 2. Clip (only when needed), 3. round, clean, check orientation again.
        const std::span<const std::vector<Point>> rings(s.rings.data(), ring_count);
        if (polygon_box.min_x < f.clip.min_x || polygon_box.min_y < f.clip.min_y ||
            polygon_box.max_x > f.clip.max_x || polygon_box.max_y > f.clip.max_y) {
          internal::ClipPolygon(rings, f.clip, &s.clipped);
        } else {
          s.clipped.Clear();
          for (size_t k = 0; k < ring_count; ++k) {
            s.clipped.rings.push_back(rings[k]);
            s.clipped.is_hole.push_back(k > 0);
          }
        }
        bool exterior_kept = false;
        for (size_t k = 0; k < s.clipped.rings.size(); ++k) {
          const bool hole = s.clipped.is_hole[k];
          if (hole && !exterior_kept) continue;
          const int64_t area2 = internal::QuantizeRing(s.clipped.rings[k], &s.ring);
          if (hole ? area2 >= 0 : area2 <= 0) {  // collapsed or flipped by rounding
            if (!hole) exterior_kept = false;
            continue;
          }
          exterior_kept = !hole || exterior_kept;
          s.geometry.points.insert(s.geometry.points.end(), s.ring.begin(), s.ring.end());
          s.geometry.EndPart();
        }
      }
      if (s.geometry.part_ends.empty()) continue;
      const MvtProperty props[] = {{"code", h.code(r)},
                                   {"name", h.name(r)},
                                   {"level", level_name},
                                   {"parent", h.parent_code(r)}};
      layer.AddFeature(MvtGeomType::kPolygon, uint64_t{r} + 1, s.geometry, props);
    }
    tile.AddLayer(layer);
  }

  if (d.options.labels) {
    MvtLayerWriter labels(kLabelsLayer, d.options.extent);
    const Box tile_lonlat = TileBoundsLonLat(*id);
    for (size_t level = 0; level < h.level_count(); ++level) {
      if (f.z < d.ranges[level].min_zoom || f.z > d.ranges[level].max_zoom) continue;
      s.candidates.clear();
      d.index[level].Query(tile_lonlat, [&](uint32_t r) { s.candidates.push_back(r); });
      if (s.candidates.empty()) continue;
      std::sort(s.candidates.begin(), s.candidates.end());
      const std::string_view level_name = h.levels()[level].name;
      for (RegionId r : s.candidates) {
        const Point q = f.Project(d.Label(r));
        const TilePoint t{static_cast<int32_t>(std::lround(q.x)),
                          static_cast<int32_t>(std::lround(q.y))};
        const auto extent = static_cast<int32_t>(d.options.extent);
        if (t.x < 0 || t.y < 0 || t.x >= extent || t.y >= extent) continue;
        s.geometry.Clear();
        s.geometry.points.push_back(t);
        const MvtProperty props[] = {{"code", h.code(r)},
                                     {"name", h.name(r)},
                                     {"level", level_name},
                                     {"parent", h.parent_code(r)}};
        labels.AddFeature(MvtGeomType::kPoint, uint64_t{r} + 1, s.geometry, props);
      }
    }
    tile.AddLayer(labels);
  }
  return std::move(tile).Finish();
}

std::span<const VectorLayerInfo> TileSource::vector_layers() const { return data_->layers; }
ZoomRange TileSource::zoom_range(size_t level) const { return data_->ranges[level]; }
const TileSourceOptions& TileSource::options() const { return data_->options; }
const Box& TileSource::bounds() const { return data_->bounds; }

std::span<const std::string> TileSource::notes() const {
  const Data& d = *data_;
  std::call_once(d.notes_once, [&] {
    d.PrepareAll();
    for (size_t level : d.node_levels) {  // coarse node levels first
      d.notes.insert(d.notes.end(), d.keep[level]->notes.begin(), d.keep[level]->notes.end());
    }
  });
  return d.notes;
}

Point TileSource::label_point(RegionId id) const { return data_->Label(id); }

void TileSource::Prepare() const { data_->PrepareAll(); }

namespace {

nlohmann::ordered_json VectorLayers(std::span<const VectorLayerInfo> layers) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const VectorLayerInfo& l : layers) {
    list.push_back(
        {{"id", l.id},
         {"description", l.description},
         {"minzoom", l.min_zoom},
         {"maxzoom", l.max_zoom},
         {"fields",
          {{"code", "String"}, {"name", "String"}, {"level", "String"}, {"parent", "String"}}}});
  }
  return list;
}

}  // namespace

std::string TileSource::VectorLayersJson() const {
  nlohmann::ordered_json j;
  j["vector_layers"] = VectorLayers(data_->layers);
  return j.dump();
}

std::string TileSource::TileJson(std::string_view base_url, std::string_view version) const {
  const Data& d = *data_;
  const TileSourceOptions& o = d.options;
  std::string url = std::string(base_url) + "/tiles/{z}/{x}/{y}.mvt";
  if (!version.empty()) url += "?v=" + std::string(version);
  nlohmann::ordered_json j;
  j["tilejson"] = "3.0.0";
  j["name"] = o.name;
  j["description"] = "Region hierarchy: one layer per level, plus label points";
  j["version"] = "1.0.0";
  j["scheme"] = "xyz";
  j["tiles"] = nlohmann::ordered_json::array({url});
  j["minzoom"] = o.min_zoom;
  j["maxzoom"] = o.max_zoom;
  if (!d.bounds.empty()) {
    j["bounds"] = {d.bounds.min_x, d.bounds.min_y, d.bounds.max_x, d.bounds.max_y};
    const double width = std::max(d.bounds.width(), 1e-9);
    const double fit = std::floor(std::log2(360.0 * 4 / width));
    const auto zoom = static_cast<uint32_t>(
        std::clamp(fit, static_cast<double>(o.min_zoom), static_cast<double>(o.max_zoom)));
    j["center"] = {(d.bounds.min_x + d.bounds.max_x) / 2, (d.bounds.min_y + d.bounds.max_y) / 2,
                   zoom};
  }
  j["vector_layers"] = VectorLayers(d.layers);
  return j.dump();
}

std::string TileSource::Style(std::string_view base_url) const {
  const Data& d = *data_;
  const Hierarchy& h = *d.hierarchy;
  const std::string source = "wangge";
  nlohmann::ordered_json style;
  style["version"] = 8;
  style["name"] = d.options.name;
  style["sources"] = {
      {source, {{"type", "vector"}, {"url", std::string(base_url) + "/tiles.json"}}}};
  style["glyphs"] = std::string(base_url) + "/fonts/{fontstack}/{range}.pbf";
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  layers.push_back(
      {{"id", "background"}, {"type", "background"}, {"paint", {{"background-color", "#f7f7f2"}}}});
  const size_t n = h.level_count();
  auto zooms = [&](nlohmann::ordered_json& layer, size_t level) {
    layer["minzoom"] = d.ranges[level].min_zoom;
    // MapLibre's maxzoom is exclusive.
    layer["maxzoom"] = std::min<uint32_t>(d.ranges[level].max_zoom + 1, kMaxTileZoom);
  };
  for (size_t level = 0; level < n; ++level) {  // fills, coarse to fine
    const std::string& name = h.levels()[level].name;
    nlohmann::ordered_json fill = {
        {"id", name + "-fill"}, {"type", "fill"}, {"source", source}, {"source-layer", name}};
    zooms(fill, level);
    fill["paint"] = {{"fill-color", LevelColour(level)}, {"fill-opacity", 0.08}};
    layers.push_back(fill);
  }
  for (size_t level = n; level-- > 0;) {  // outlines, fine to coarse: coarse borders on top
    const std::string& name = h.levels()[level].name;
    nlohmann::ordered_json line = {
        {"id", name + "-line"}, {"type", "line"}, {"source", source}, {"source-layer", name}};
    zooms(line, level);
    const double width = std::max(0.5, 3.0 - 0.5 * static_cast<double>(level));
    line["paint"] = {{"line-color", LevelColour(level)}, {"line-width", width}};
    layers.push_back(line);
  }
  if (d.options.labels) {
    for (size_t level = n; level-- > 0;) {  // labels, fine first: later layers place first
      const std::string& name = h.levels()[level].name;
      nlohmann::ordered_json label = {{"id", name + "-label"},
                                      {"type", "symbol"},
                                      {"source", source},
                                      {"source-layer", std::string(kLabelsLayer)},
                                      {"filter", {"==", {"get", "level"}, name}}};
      zooms(label, level);
      const double size = std::max(10.0, 16.0 - static_cast<double>(level));
      label["layout"] = {{"text-field", {"get", "name"}},
                         {"text-font", nlohmann::ordered_json::array({d.options.font_stack})},
                         {"text-size", size}};
      label["paint"] = {{"text-color", LevelColour(level)},
                        {"text-halo-color", "#ffffff"},
                        {"text-halo-width", 1.2}};
      layers.push_back(label);
    }
  }
  style["layers"] = layers;
  return style.dump();
}

}  // namespace wangge
