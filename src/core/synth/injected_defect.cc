#include "wangge/synth/injected_defect.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace wangge {
namespace {

constexpr std::string_view kNames[InjectedDefect::kKindCount] = {
    "overlap",
    "gap",
    "outside_parent",
    "t_junction",
    "near_coincident_edge",
    "invalid_geometry",
    "duplicate_code",
    "missing_parent",
};

}  // namespace

std::string_view InjectedDefectKindName(InjectedDefect::Kind kind) {
  return kNames[static_cast<int>(kind)];
}

std::string DefectTruthToJson(const std::vector<InjectedDefect>& defects) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const InjectedDefect& d : defects) {
    nlohmann::ordered_json item;
    item["kind"] = InjectedDefectKindName(d.kind);
    item["level"] = d.level;
    item["codes"] = d.codes;
    item["parent"] = d.parent;
    item["area_m2"] = d.area_m2;
    item["location"] = {d.location.x, d.location.y};
    array.push_back(std::move(item));
  }
  return array.dump(2) + "\n";
}

Status WriteDefectTruth(const std::vector<InjectedDefect>& defects, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError(path + ": cannot open for writing");
  out << DefectTruthToJson(defects);
  out.close();
  if (!out) return Status::IoError(path + ": write failed");
  return Status::Ok();
}

Result<std::vector<InjectedDefect>> ReadDefectTruth(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<InjectedDefect> defects;
  try {
    const nlohmann::json array = nlohmann::json::parse(text.str());
    if (!array.is_array()) return Status::DataError(path + ": expected a JSON array");
    for (const nlohmann::json& item : array) {
      InjectedDefect d;
      const std::string kind = item.at("kind").get<std::string>();
      bool known = false;
      for (int k = 0; k < InjectedDefect::kKindCount; ++k) {
        if (kNames[k] == kind) {
          d.kind = static_cast<InjectedDefect::Kind>(k);
          known = true;
        }
      }
      if (!known) return Status::DataError(path + ": unknown defect kind '" + kind + "'");
      d.level = item.at("level").get<std::string>();
      d.codes = item.at("codes").get<std::vector<std::string>>();
      d.parent = item.at("parent").get<std::string>();
      d.area_m2 = item.at("area_m2").get<double>();
      if (item.contains("location")) {
        d.location = {item["location"].at(0).get<double>(), item["location"].at(1).get<double>()};
      }
      defects.push_back(std::move(d));
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::DataError(path + ": " + e.what());
  }
  return defects;
}

}  // namespace wangge
