// MvtLayerWriter / MvtTileWriter: a Mapbox Vector Tile 2.1 encoder on protozero (Debian
// libprotozero-dev; vtzero is not packaged). It writes what it is given: it does not clip,
// reorient or validate geometry, so the caller (TileSource) owns MVT's geometry rules and tests
// can encode exactly the geometry of the @mapbox/mvt-fixtures cases.
//
//   MvtLayerWriter layer("grid", 4096);
//   layer.AddFeature(MvtGeomType::kPolygon, 7, rings, {{"code", "350302001001001"}});
//   MvtTileWriter tile;
//   tile.AddLayer(layer);
//   std::string bytes = std::move(tile).Finish();
//
// Keys and values are deduplicated per layer. Thread safety: none; one writer per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace wangge::internal {

// A point in tile coordinates (0..extent, y down).
struct TilePoint {
  int32_t x = 0;
  int32_t y = 0;
  friend bool operator==(const TilePoint&, const TilePoint&) = default;
};

// Geometry in parts: a part is a ring (polygon), a line (linestring) or unused (points: all
// points of a kPoint feature form one MultiPoint). part_ends[i] is one past the last point of
// part i. A polygon ring is given without its closing point.
struct MvtGeometry {
  std::vector<TilePoint> points;
  std::vector<uint32_t> part_ends;

  void Clear() {
    points.clear();
    part_ends.clear();
  }
  void EndPart() { part_ends.push_back(static_cast<uint32_t>(points.size())); }
};

enum class MvtGeomType : uint32_t { kUnknown = 0, kPoint = 1, kLineString = 2, kPolygon = 3 };

// The sint64 value type (zigzag encoded), distinct from int64 on the wire.
struct MvtSint {
  int64_t value = 0;
};

using MvtValue = std::variant<std::string_view, float, double, int64_t, uint64_t, MvtSint, bool>;

struct MvtProperty {
  std::string_view key;
  MvtValue value;
};

class MvtLayerWriter {
 public:
  MvtLayerWriter(std::string_view name, uint32_t extent, uint32_t version = 2);

  // Appends a feature. REQUIRES: geometry fits `type` (points: >= 1 point; lines: parts of >= 2
  // points; polygons: rings of >= 3 points without the closing point).
  void AddFeature(MvtGeomType type, std::optional<uint64_t> id, const MvtGeometry& geometry,
                  std::span<const MvtProperty> properties);

  size_t feature_count() const { return feature_count_; }
  const std::string& name() const { return name_; }

  // Returns the encoded Layer message (without the Tile's field tag).
  std::string Finish() const;

 private:
  uint32_t KeyIndex(std::string_view key);
  uint32_t ValueIndex(const MvtValue& value);

  std::string name_;
  uint32_t extent_;
  uint32_t version_;
  size_t feature_count_ = 0;
  std::string features_;  // encoded Feature messages, each with its field tag
  std::vector<std::string> keys_;
  std::unordered_map<std::string, uint32_t> key_index_;
  std::string values_;  // encoded Value messages, each with its field tag
  std::unordered_map<std::string, uint32_t> value_index_;  // type byte + payload → index
  uint32_t value_count_ = 0;
  std::vector<uint32_t> tags_;      // scratch
  std::vector<uint32_t> commands_;  // scratch
};

class MvtTileWriter {
 public:
  // Appends `layer` unless it has no feature (encoders should not write empty layers).
  void AddLayer(const MvtLayerWriter& layer);
  // Appends `layer` even when it has no feature (for fixtures).
  void AddLayerAlways(const MvtLayerWriter& layer);
  bool empty() const { return data_.empty(); }
  // Returns the encoded Tile; empty when no layer was added.
  std::string Finish() && { return std::move(data_); }

 private:
  std::string data_;
};

}  // namespace wangge::internal
