#include "wangge/load/manifest.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "load/internal/gdal_util.h"

namespace wangge {
namespace {

// Builds "<file> line <n>: <what>" errors; yaml-cpp marks are 0-based.
class ErrorAt {
 public:
  explicit ErrorAt(const std::string& path) : path_(path) {}

  Status operator()(const YAML::Node& node, const std::string& what) const {
    return At(node.Mark(), what);
  }
  Status At(const YAML::Mark& mark, const std::string& what) const {
    std::string message = path_;
    if (mark.line >= 0) message += " line " + std::to_string(mark.line + 1);
    return Status::DataError(message + ": " + what);
  }

 private:
  const std::string& path_;
};

bool IsLevelName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string ResolvePath(const std::string& manifest_path, const std::string& source) {
  const std::filesystem::path p(source);
  if (p.is_absolute() || internal::IsGdalConnection(source)) return source;
  const std::filesystem::path dir = std::filesystem::path(manifest_path).parent_path();
  return dir.empty() ? source : (dir / p).string();
}

// Reads a scalar value; a null value (`key:` or `key: ~`) reads as "".
Status ReadScalar(const ErrorAt& error, const YAML::Node& key, const YAML::Node& value,
                  std::string* out) {
  if (value.IsNull()) {
    out->clear();
    return Status::Ok();
  }
  if (!value.IsScalar()) {
    return error(value, "'" + key.Scalar() + "' must be a plain value, not a list or map");
  }
  *out = value.Scalar();
  return Status::Ok();
}

// Iterates a map, rejecting duplicate keys and keys not in `allowed`.
template <typename Fn>
Status ForEachKey(const ErrorAt& error, const YAML::Node& map, std::string_view where,
                  const std::set<std::string, std::less<>>& allowed, Fn&& fn) {
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      return error(key, "keys must be plain names in " + std::string(where));
    }
    const std::string& name = key.Scalar();
    if (!allowed.contains(name)) {
      std::string known;
      for (const std::string& a : allowed) known += (known.empty() ? "" : ", ") + a;
      return error(
          key, "unknown key '" + name + "' in " + std::string(where) + " (known: " + known + ")");
    }
    if (!seen.insert(name).second) {
      return error(key, "key '" + name + "' appears twice in " + std::string(where));
    }
    Status s = fn(key, entry.second);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status ParseFields(const ErrorAt& error, const YAML::Node& node, std::string_view where,
                   FieldMapping* fields) {
  if (!node.IsMap()) return error(node, "'fields' must be a map, e.g. {code: WGBM, name: WGMC}");
  Status s = ForEachKey(error, node, where, {"code", "parent", "name"},
                        [&](const YAML::Node& key, const YAML::Node& value) {
                          const std::string& k = key.Scalar();
                          std::string* out = k == "code"     ? &fields->code
                                             : k == "parent" ? &fields->parent
                                                             : &fields->name;
                          return ReadScalar(error, key, value, out);
                        });
  if (!s.ok()) return s;
  if (fields->code.empty()) {
    return error(node, "'code' field cannot be empty in " + std::string(where));
  }
  return Status::Ok();
}

Result<Manifest> Parse(const YAML::Node& root, const std::string& path) {
  const ErrorAt error(path);
  if (!root.IsMap()) {
    return error(root,
                 "a manifest must be a map with at least 'levels' (see wangge/load/manifest.h)");
  }
  std::string source, crs, encoding;
  YAML::Node levels;
  bool has_levels = false;
  Status s =
      ForEachKey(error, root, "the manifest", {"source", "crs", "encoding", "levels"},
                 [&](const YAML::Node& key, const YAML::Node& value) {
                   const std::string& k = key.Scalar();
                   if (k == "levels") {
                     levels = value;
                     has_levels = true;
                     return Status::Ok();
                   }
                   std::string* out = k == "source" ? &source : k == "crs" ? &crs : &encoding;
                   return ReadScalar(error, key, value, out);
                 });
  if (!s.ok()) return s;
  if (!has_levels) return error.At(YAML::Mark::null_mark(), "no 'levels' list");
  if (!levels.IsSequence() || levels.size() == 0) {
    return error(levels, "'levels' must be a non-empty list, coarsest level first");
  }
  if (levels.size() > 255) return error(levels, "at most 255 levels");

  Manifest manifest;
  manifest.path = path;
  std::set<std::string, std::less<>> names;
  for (size_t i = 0; i < levels.size(); ++i) {
    const YAML::Node node = levels[i];
    const std::string where = "level " + std::to_string(i + 1);
    if (!node.IsMap()) return error(node, where + " must be a map with at least 'name'");
    ManifestLevel level;
    s = ForEachKey(error, node, where,
                   {"name", "label", "layer", "source", "fields", "crs", "encoding"},
                   [&](const YAML::Node& key, const YAML::Node& value) {
                     const std::string& k = key.Scalar();
                     if (k == "fields") return ParseFields(error, value, where, &level.fields);
                     std::string* out = k == "name"     ? &level.name
                                        : k == "label"  ? &level.label
                                        : k == "layer"  ? &level.layer
                                        : k == "source" ? &level.source
                                        : k == "crs"    ? &level.crs
                                                        : &level.encoding;
                     return ReadScalar(error, key, value, out);
                   });
    if (!s.ok()) return s;
    if (level.name.empty()) return error(node, where + " has no 'name'");
    if (!IsLevelName(level.name)) {
      return error(node, "level name '" + level.name +
                             "' must be ASCII letters, digits, '_' or '-' (use 'label' for 中文)");
    }
    if (!names.insert(level.name).second) {
      return error(node, "level name '" + level.name + "' appears twice");
    }
    if (level.source.empty()) level.source = source;
    if (level.source.empty()) {
      return error(node, where + " (" + level.name +
                             ") has no source: give 'source' at the top or in the level");
    }
    level.source = ResolvePath(path, level.source);
    if (level.crs.empty()) level.crs = crs;
    if (level.encoding.empty()) level.encoding = encoding;
    manifest.levels.push_back(std::move(level));
  }
  return manifest;
}

}  // namespace

Result<Manifest> ParseManifest(std::string_view yaml, const std::string& path) {
  try {
    return Parse(YAML::Load(std::string(yaml)), path);
  } catch (const YAML::Exception& e) {
    return ErrorAt(path).At(e.mark, e.msg);
  } catch (const std::exception& e) {
    return Status::DataError(path + ": " + e.what());
  }
}

Result<Manifest> ReadManifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the manifest");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": cannot read the manifest");
  return ParseManifest(text.str(), path);
}

}  // namespace wangge
