// tiles_js_writer OUT_DIR: writes the tiles that tests/tiles-js/decode.test.js decodes with
// @mapbox/vector-tile:
//   OUT_DIR/encoded/<id>.mvt  each OUT_DIR/specs/<id>.json (an mvt-fixtures case, written by
//                             make_specs.mjs) encoded with wangge's MVT encoder;
//   OUT_DIR/rendered/*.mvt    every non-empty tile of zooms 10..16 of a synthetic hierarchy, with
//                             index.json (levels, codes per level, parents, tile files).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/tiles/lattice_hierarchy.h"
#include <nlohmann/json.hpp>

#include "tiles/internal/mvt_writer.h"
#include "wangge/tiles/tile_source.h"

namespace fs = std::filesystem;
using namespace wangge;
using namespace wangge::internal;

namespace {

bool WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// Encodes one fixture spec; returns false on a spec it cannot read.
bool EncodeSpec(const nlohmann::json& spec, std::string* bytes) {
  MvtTileWriter tile;
  for (const auto& l : spec.at("layers")) {
    MvtLayerWriter layer(l.at("name").get<std::string>(), l.at("extent").get<uint32_t>(),
                         l.at("version").get<uint32_t>());
    for (const auto& f : l.at("features")) {
      std::vector<std::string> strings;
      strings.reserve(f.at("properties").size() * 2);
      std::vector<MvtProperty> properties;
      for (const auto& p : f.at("properties")) {
        strings.push_back(p.at(0).get<std::string>());
        const std::string_view key = strings.back();
        const nlohmann::json& typed = p.at(1);
        const std::string type = typed.begin().key();
        const nlohmann::json& v = typed.begin().value();
        MvtValue value;
        if (type == "string_value") {
          strings.push_back(v.get<std::string>());
          value = std::string_view(strings.back());
        } else if (type == "float_value") {
          value = v.get<float>();
        } else if (type == "double_value") {
          value = v.get<double>();
        } else if (type == "int_value") {
          value = v.get<int64_t>();
        } else if (type == "uint_value") {
          value = v.get<uint64_t>();
        } else if (type == "sint_value") {
          value = MvtSint{v.get<int64_t>()};
        } else if (type == "bool_value") {
          value = v.get<bool>();
        } else {
          std::cerr << "unknown value type " << type << "\n";
          return false;
        }
        properties.push_back({key, value});
      }
      const auto type = static_cast<MvtGeomType>(f.at("type").get<uint32_t>());
      MvtGeometry geometry;
      for (const auto& part : f.at("geometry")) {
        for (const auto& xy : part)
          geometry.points.push_back({xy.at(0).get<int32_t>(), xy.at(1).get<int32_t>()});
        geometry.EndPart();
      }
      std::optional<uint64_t> id;
      if (!f.at("id").is_null()) id = f.at("id").get<uint64_t>();
      layer.AddFeature(type, id, geometry, properties);
    }
    tile.AddLayerAlways(layer);
  }
  *bytes = std::move(tile).Finish();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: tiles_js_writer OUT_DIR\n";
    return 2;
  }
  const fs::path out = argv[1];
  fs::create_directories(out / "encoded");
  fs::create_directories(out / "rendered");

  size_t encoded = 0;
  if (fs::exists(out / "specs")) {
    for (const auto& entry : fs::directory_iterator(out / "specs")) {
      std::ifstream in(entry.path());
      const nlohmann::json spec = nlohmann::json::parse(in);
      std::string bytes;
      if (!EncodeSpec(spec, &bytes)) return 1;
      if (!WriteFile(out / "encoded" / (spec.at("id").get<std::string>() + ".mvt"), bytes))
        return 1;
      ++encoded;
    }
  }

  const Hierarchy h = testing::MakeLatticeHierarchy(
      {.cells = 8, .seed = 3, .levels = {{"district", 8}, {"grid", 2}, {"unit", 1}}});
  TileSourceOptions options;
  options.zoom_ranges["district"] = {10, kMaxTileZoom};
  options.zoom_ranges["grid"] = {12, kMaxTileZoom};
  options.zoom_ranges["unit"] = {14, kMaxTileZoom};
  Result<TileSource> tiles = TileSource::Build(h, options);
  if (!tiles.ok()) {
    std::cerr << tiles.status().ToString() << "\n";
    return 1;
  }
  nlohmann::json index;
  index["levels"] = nlohmann::json::array();
  for (const Level& l : h.levels()) index["levels"].push_back(l.name);
  for (RegionId r = 0; r < h.region_count(); ++r) {
    index["codes"][h.levels()[h.level(r)].name].push_back(h.code(r));
    index["parents"][std::string(h.code(r))] = h.parent_code(r);
  }
  index["tiles"] = nlohmann::json::array();
  for (uint32_t z = 10; z <= 16; ++z) {
    const TileRange range = TilesCovering(h.bounds(), z);
    for (uint32_t y = range.min_y; y <= range.max_y; ++y) {
      for (uint32_t x = range.min_x; x <= range.max_x; ++x) {
        Result<std::string> mvt = tiles->Render(z, x, y);
        if (!mvt.ok() || mvt->empty()) continue;
        const std::string file =
            std::to_string(z) + "-" + std::to_string(x) + "-" + std::to_string(y) + ".mvt";
        if (!WriteFile(out / "rendered" / file, *mvt)) return 1;
        index["tiles"].push_back({{"z", z}, {"x", x}, {"y", y}, {"file", file}});
      }
    }
  }
  std::ofstream(out / "rendered" / "index.json") << index.dump(1);
  std::cout << "encoded " << encoded << " fixture specs, rendered " << index["tiles"].size()
            << " tiles into " << out << "\n";
  return 0;
}
