#include "server/schema_check.h"

#include <cmath>

namespace wangge::testing {
namespace {

using json = nlohmann::json;

const json& Null() {
  static const json null;
  return null;
}

bool HasType(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    return value.is_number_integer() ||
           (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
  }
  return false;
}

void Check(const json& document, const json& schema, const json& value, const std::string& path,
           std::vector<std::string>* problems) {
  if (schema.contains("$ref")) {
    const json& target = ResolveRef(document, schema["$ref"]);
    if (target.is_null()) {
      problems->push_back(path + ": unresolved $ref " + schema["$ref"].get<std::string>());
      return;
    }
    Check(document, target, value, path, problems);
    return;
  }
  if (value.is_null() && schema.value("nullable", false)) return;
  auto fail = [&](const std::string& what) { problems->push_back(path + ": " + what); };

  if (schema.contains("allOf")) {
    for (const json& part : schema["allOf"]) Check(document, part, value, path, problems);
  }
  for (const char* keyword : {"oneOf", "anyOf"}) {
    if (!schema.contains(keyword)) continue;
    size_t matches = 0;
    for (const json& part : schema[keyword]) {
      std::vector<std::string> sub;
      Check(document, part, value, path, &sub);
      if (sub.empty()) ++matches;
    }
    const bool one_of = std::string(keyword) == "oneOf";
    if (matches == 0 || (one_of && matches > 1)) {
      fail(std::string(keyword) + " matched " + std::to_string(matches) + " alternatives");
    }
  }
  if (schema.contains("type")) {
    const std::string type = schema["type"];
    if (!HasType(value, type)) {
      fail("expected " + type + ", got " + value.dump().substr(0, 80));
      return;
    }
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const json& e : schema["enum"]) found = found || e == value;
    if (!found) fail("not one of " + schema["enum"].dump() + ": " + value.dump().substr(0, 80));
  }
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
      fail("below minimum");
    }
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
      fail("above maximum");
    }
  }
  if (value.is_array()) {
    if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
      fail("fewer than minItems");
    }
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) {
      fail("more than maxItems");
    }
    if (schema.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        Check(document, schema["items"], value[i], path + "[" + std::to_string(i) + "]", problems);
      }
    }
  }
  if (value.is_object()) {
    const json& properties = schema.contains("properties") ? schema["properties"] : Null();
    if (schema.contains("required")) {
      for (const json& name : schema["required"]) {
        if (!value.contains(name.get<std::string>())) {
          fail("missing required " + name.get<std::string>());
        }
      }
    }
    for (const auto& [name, member] : value.items()) {
      const std::string member_path = path + "." + name;
      if (properties.is_object() && properties.contains(name)) {
        Check(document, properties[name], member, member_path, problems);
      } else if (schema.contains("additionalProperties")) {
        const json& extra = schema["additionalProperties"];
        if (extra.is_boolean()) {
          if (!extra.get<bool>()) fail("unexpected member " + name);
        } else {
          Check(document, extra, member, member_path, problems);
        }
      }
    }
  }
}

}  // namespace

const json& ResolveRef(const json& document, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return Null();
  const json* node = &document;
  size_t start = 2;
  while (start <= ref.size()) {
    const size_t slash = ref.find('/', start);
    const std::string key =
        ref.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!node->is_object() || !node->contains(key)) return Null();
    node = &(*node)[key];
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return *node;
}

std::vector<std::string> CheckSchema(const json& document, const json& schema, const json& value) {
  std::vector<std::string> problems;
  Check(document, schema, value, "$", &problems);
  return problems;
}

}  // namespace wangge::testing
