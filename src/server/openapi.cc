#include "server/openapi.h"

#include <charconv>
#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace wangge::server {
namespace {

nlohmann::json PlainScalar(const std::string& text) {
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  if (text == "true") return true;
  if (text == "false") return false;
  int64_t integer = 0;
  const char* end = text.data() + text.size();
  if (auto r = std::from_chars(text.data(), end, integer); r.ec == std::errc() && r.ptr == end) {
    return integer;
  }
  double number = 0;
  if (auto r = std::from_chars(text.data(), end, number);
      r.ec == std::errc() && r.ptr == end &&
      (text[0] == '-' || std::isdigit(text[0]) || text[0] == '.')) {
    return number;
  }
  return text;
}

}  // namespace

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& entry : node)
        object[entry.first.as<std::string>()] = YamlToJson(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node) array.push_back(YamlToJson(item));
      return array;
    }
    case YAML::NodeType::Scalar:
      // A quoted scalar carries the tag "!"; a plain one "?".
      return node.Tag() == "!" ? nlohmann::json(node.Scalar()) : PlainScalar(node.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

const nlohmann::json& OpenApiJson() {
  static const nlohmann::json document = YamlToJson(YAML::Load(std::string(OpenApiYaml())));
  return document;
}

}  // namespace wangge::server
