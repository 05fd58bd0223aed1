// The HTTP contract, api/openapi.yaml, embedded in the binary at build time: served at /api (as
// JSON, or as the YAML source with ?f=yaml) and read by the contract test.
//
//   const nlohmann::json& spec = OpenApiJson();
//   for (auto& [path, operations] : spec["paths"].items()) ...
//
// Thread safety: reentrant; OpenApiJson converts once, on first use.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace YAML {
class Node;
}

namespace wangge::server {

// Returns the text of api/openapi.yaml.
std::string_view OpenApiYaml();

// Returns the document as JSON.
const nlohmann::json& OpenApiJson();

// Converts a YAML document to JSON: plain scalars that read as null, booleans, integers or
// floats become those; quoted scalars and everything else become strings.
nlohmann::json YamlToJson(const YAML::Node& node);

}  // namespace wangge::server
