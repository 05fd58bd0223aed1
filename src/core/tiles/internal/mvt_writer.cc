#include "tiles/internal/mvt_writer.h"

#include <cstring>

#include <protozero/pbf_writer.hpp>
#include <protozero/varint.hpp>

namespace wangge::internal {
namespace {

// Field numbers of vector_tile.proto (MVT 2.1).
enum : protozero::pbf_tag_type {
  kTileLayers = 3,
  kLayerName = 1,
  kLayerFeatures = 2,
  kLayerKeys = 3,
  kLayerValues = 4,
  kLayerExtent = 5,
  kLayerVersion = 15,
  kFeatureId = 1,
  kFeatureTags = 2,
  kFeatureType = 3,
  kFeatureGeometry = 4,
  kValueString = 1,
  kValueFloat = 2,
  kValueDouble = 3,
  kValueInt = 4,
  kValueUint = 5,
  kValueSint = 6,
  kValueBool = 7,
};

enum Command : uint32_t { kMoveTo = 1, kLineTo = 2, kClosePath = 7 };

uint32_t CommandInteger(Command command, size_t count) {
  return (static_cast<uint32_t>(count) << 3) | command;
}

template <typename T>
void AppendBytes(std::string& key, const T& value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  key.append(bytes, sizeof(T));
}

}  // namespace

MvtLayerWriter::MvtLayerWriter(std::string_view name, uint32_t extent, uint32_t version)
    : name_(name), extent_(extent), version_(version) {}

uint32_t MvtLayerWriter::KeyIndex(std::string_view key) {
  auto [it, inserted] =
      key_index_.try_emplace(std::string(key), static_cast<uint32_t>(keys_.size()));
  if (inserted) keys_.emplace_back(key);
  return it->second;
}

uint32_t MvtLayerWriter::ValueIndex(const MvtValue& value) {
  std::string key(1, static_cast<char>(value.index()));
  std::visit(
      [&key](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          key.append(v);
        } else if constexpr (std::is_same_v<T, MvtSint>) {
          AppendBytes(key, v.value);
        } else {
          AppendBytes(key, v);
        }
      },
      value);
  auto [it, inserted] = value_index_.try_emplace(std::move(key), value_count_);
  if (!inserted) return it->second;
  ++value_count_;
  protozero::pbf_writer writer(values_);
  protozero::pbf_writer message(writer, kLayerValues);
  std::visit(
      [&message](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          message.add_string(kValueString, v.data(), v.size());
        } else if constexpr (std::is_same_v<T, float>) {
          message.add_float(kValueFloat, v);
        } else if constexpr (std::is_same_v<T, double>) {
          message.add_double(kValueDouble, v);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          message.add_int64(kValueInt, v);
        } else if constexpr (std::is_same_v<T, uint64_t>) {
          message.add_uint64(kValueUint, v);
        } else if constexpr (std::is_same_v<T, MvtSint>) {
          message.add_sint64(kValueSint, v.value);
        } else {
          message.add_bool(kValueBool, v);
        }
      },
      value);
  return it->second;
}

void MvtLayerWriter::AddFeature(MvtGeomType type, std::optional<uint64_t> id,
                                const MvtGeometry& geometry,
                                std::span<const MvtProperty> properties) {
  tags_.clear();
  for (const MvtProperty& p : properties) {
    tags_.push_back(KeyIndex(p.key));
    tags_.push_back(ValueIndex(p.value));
  }

  commands_.clear();
  int64_t cursor_x = 0;
  int64_t cursor_y = 0;
  auto append_point = [&](const TilePoint& p) {
    commands_.push_back(protozero::encode_zigzag32(static_cast<int32_t>(p.x - cursor_x)));
    commands_.push_back(protozero::encode_zigzag32(static_cast<int32_t>(p.y - cursor_y)));
    cursor_x = p.x;
    cursor_y = p.y;
  };
  if (type == MvtGeomType::kPoint) {
    if (!geometry.points.empty()) {
      commands_.push_back(CommandInteger(kMoveTo, geometry.points.size()));
      for (const TilePoint& p : geometry.points) append_point(p);
    }
  } else {
    uint32_t begin = 0;
    for (uint32_t end : geometry.part_ends) {
      if (end > begin) {
        commands_.push_back(CommandInteger(kMoveTo, 1));
        append_point(geometry.points[begin]);
        if (end - begin > 1) {
          commands_.push_back(CommandInteger(kLineTo, end - begin - 1));
          for (uint32_t i = begin + 1; i < end; ++i) append_point(geometry.points[i]);
        }
        if (type == MvtGeomType::kPolygon) commands_.push_back(CommandInteger(kClosePath, 1));
      }
      begin = end;
    }
  }

  protozero::pbf_writer writer(features_);
  protozero::pbf_writer feature(writer, kLayerFeatures);
  if (id) feature.add_uint64(kFeatureId, *id);
  if (!tags_.empty()) feature.add_packed_uint32(kFeatureTags, tags_.begin(), tags_.end());
  feature.add_enum(kFeatureType, static_cast<int32_t>(type));
  if (!commands_.empty()) {
    feature.add_packed_uint32(kFeatureGeometry, commands_.begin(), commands_.end());
  }
  ++feature_count_;
}

std::string MvtLayerWriter::Finish() const {
  std::string data;
  protozero::pbf_writer layer(data);
  layer.add_uint32(kLayerVersion, version_);
  layer.add_string(kLayerName, name_);
  data += features_;
  for (const std::string& key : keys_) layer.add_string(kLayerKeys, key);
  data += values_;
  layer.add_uint32(kLayerExtent, extent_);
  return data;
}

void MvtTileWriter::AddLayer(const MvtLayerWriter& layer) {
  if (layer.feature_count() == 0) return;
  AddLayerAlways(layer);
}

void MvtTileWriter::AddLayerAlways(const MvtLayerWriter& layer) {
  protozero::pbf_writer tile(data_);
  tile.add_message(kTileLayers, layer.Finish());
}

}  // namespace wangge::internal
