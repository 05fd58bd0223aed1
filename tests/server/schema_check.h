// A small validator for the JSON Schema subset OpenAPI 3.0 uses, enough to hold the server's
// answers to api/openapi.yaml: type (with nullable), enum, properties, required,
// additionalProperties, items, minItems, maxItems, minimum, maximum, allOf, oneOf, anyOf and
// $ref into the same document. Unknown keywords (format, description, default, example) are
// ignored.
//
//   std::vector<std::string> problems = CheckSchema(spec, schema, body);
//   EXPECT_TRUE(problems.empty()) << problems[0];
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wangge::testing {

// Returns the problems of `value` against `schema` ("$.path: what"), none if it conforms.
// `document` resolves "#/..." references.
std::vector<std::string> CheckSchema(const nlohmann::json& document, const nlohmann::json& schema,
                                     const nlohmann::json& value);

// Returns the object a "#/a/b" reference names in `document` (null if none).
const nlohmann::json& ResolveRef(const nlohmann::json& document, const std::string& ref);

}  // namespace wangge::testing
