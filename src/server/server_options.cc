#include "server/server_options.h"

#include <cmath>
#include <functional>
#include <map>

#include <yaml-cpp/yaml.h>

namespace wangge::server {
namespace {

template <typename T>
Status Read(const YAML::Node& node, T* out) {
  if (!node.IsDefined() || !node.IsScalar()) {
    return Status::InvalidArgument("expected a single value");
  }
  try {
    *out = node.as<T>();
  } catch (const YAML::Exception&) {
    return Status::InvalidArgument("wrong type");
  }
  return Status::Ok();
}

Status ReadUint16(const YAML::Node& node, uint16_t* out) {
  int64_t value = 0;
  if (Status s = Read(node, &value); !s.ok()) return s;
  if (value < 0 || value > 65535) return Status::InvalidArgument("must be in 0..65535");
  *out = static_cast<uint16_t>(value);
  return Status::Ok();
}

Status ReadSize(const YAML::Node& node, size_t* out) {
  int64_t value = 0;
  if (Status s = Read(node, &value); !s.ok()) return s;
  if (value < 0) return Status::InvalidArgument("must not be negative");
  *out = static_cast<size_t>(value);
  return Status::Ok();
}

// Reads the api_keys list: a sequence of {name, role, salt, sha256} mappings.
Status ReadApiKeys(const YAML::Node& node, std::vector<ApiKey>* out) {
  if (!node.IsSequence()) return Status::InvalidArgument("expected a list of keys");
  out->clear();
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string where = "entry " + std::to_string(i + 1);
    const YAML::Node entry = node[i];
    if (!entry.IsMap())
      return Status::InvalidArgument(where + ": expected name, role, salt, sha256");
    std::string fields[4];
    const char* names[4] = {"name", "role", "salt", "sha256"};
    for (int f = 0; f < 4; ++f) {
      if (Status s = Read(entry[names[f]], &fields[f]); !s.ok()) {
        return Status::InvalidArgument(where + ": " + names[f] + ": missing or not a string");
      }
    }
    if (entry.size() != 4) {
      return Status::InvalidArgument(where + ": only name, role, salt and sha256 are allowed");
    }
    Result<ApiKey> key = ParseApiKey(fields[0], fields[1], fields[2], fields[3]);
    if (!key.ok()) return key.status().WithContext(where);
    for (const ApiKey& other : *out) {
      if (other.name == key->name) {
        return Status::InvalidArgument(where + ": the name \"" + key->name + "\" is used twice");
      }
    }
    out->push_back(std::move(key).value());
  }
  return Status::Ok();
}

Status Check(bool condition, std::string_view key, std::string_view rule) {
  if (condition) return Status::Ok();
  return Status::InvalidArgument(std::string(key) + " " + std::string(rule));
}

using Reader = std::function<Status(const YAML::Node&)>;

// Returns, per configuration key, how to read its value into `o`.
std::map<std::string, Reader, std::less<>> Readers(ServerOptions& o) {
  return {
      {"host", [&](const YAML::Node& n) { return Read(n, &o.host); }},
      {"port", [&](const YAML::Node& n) { return ReadUint16(n, &o.port); }},
      {"threads", [&](const YAML::Node& n) { return Read(n, &o.threads); }},
      {"max_body_bytes", [&](const YAML::Node& n) { return ReadSize(n, &o.max_body_bytes); }},
      {"max_header_bytes", [&](const YAML::Node& n) { return ReadSize(n, &o.max_header_bytes); }},
      {"header_timeout_ms", [&](const YAML::Node& n) { return Read(n, &o.header_timeout_ms); }},
      {"body_timeout_ms", [&](const YAML::Node& n) { return Read(n, &o.body_timeout_ms); }},
      {"keepalive_timeout_ms",
       [&](const YAML::Node& n) { return Read(n, &o.keepalive_timeout_ms); }},
      {"shutdown_grace_ms", [&](const YAML::Node& n) { return Read(n, &o.shutdown_grace_ms); }},
      {"access_log", [&](const YAML::Node& n) { return Read(n, &o.access_log); }},
      {"log_coordinates", [&](const YAML::Node& n) { return Read(n, &o.log_coordinates); }},
      {"gzip", [&](const YAML::Node& n) { return Read(n, &o.gzip); }},
      {"gzip_min_bytes", [&](const YAML::Node& n) { return ReadSize(n, &o.gzip_min_bytes); }},
      {"cors_origin", [&](const YAML::Node& n) { return Read(n, &o.cors_origin); }},
      {"public_url", [&](const YAML::Node& n) { return Read(n, &o.public_url); }},
      {"items_default_limit",
       [&](const YAML::Node& n) { return ReadSize(n, &o.items_default_limit); }},
      {"items_max_limit", [&](const YAML::Node& n) { return ReadSize(n, &o.items_max_limit); }},
      {"locate_max_distance_m",
       [&](const YAML::Node& n) { return Read(n, &o.locate_max_distance_m); }},
      {"locate_max_distance_limit_m",
       [&](const YAML::Node& n) { return Read(n, &o.locate_max_distance_limit_m); }},
      {"locate_threads", [&](const YAML::Node& n) { return Read(n, &o.locate_threads); }},
      {"web_root", [&](const YAML::Node& n) { return Read(n, &o.web_root); }},
      {"tile_cache_bytes", [&](const YAML::Node& n) { return ReadSize(n, &o.tile_cache_bytes); }},
      {"max_upload_bytes", [&](const YAML::Node& n) { return ReadSize(n, &o.max_upload_bytes); }},
      {"store", [&](const YAML::Node& n) { return Read(n, &o.store); }},
      {"store_poll_ms", [&](const YAML::Node& n) { return Read(n, &o.store_poll_ms); }},
      {"as_of_cache", [&](const YAML::Node& n) { return ReadSize(n, &o.as_of_cache); }},
      {"read_access", [&](const YAML::Node& n) { return Read(n, &o.read_access); }},
      {"api_keys", [&](const YAML::Node& n) { return ReadApiKeys(n, &o.api_keys); }},
  };
}

}  // namespace

std::vector<std::string> ServerConfigKeys() {
  ServerOptions scratch;
  std::vector<std::string> keys;
  for (const auto& [key, reader] : Readers(scratch)) keys.push_back(key);
  return keys;
}

Status ValidateServerOptions(const ServerOptions& o) {
  for (Status s :
       {Check(!o.host.empty(), "host", "must not be empty"),
        Check(o.threads >= 0 && o.threads <= 1024, "threads", "must be in 0..1024"),
        Check(o.max_body_bytes > 0, "max_body_bytes", "must be positive"),
        Check(o.max_header_bytes >= 1024, "max_header_bytes", "must be at least 1024"),
        Check(o.header_timeout_ms > 0, "header_timeout_ms", "must be positive"),
        Check(o.body_timeout_ms > 0, "body_timeout_ms", "must be positive"),
        Check(o.keepalive_timeout_ms > 0, "keepalive_timeout_ms", "must be positive"),
        Check(o.shutdown_grace_ms >= 0, "shutdown_grace_ms", "must not be negative"),
        Check(!o.access_log.empty(), "access_log", "must be \"-\", \"off\" or a path"),
        Check(o.items_default_limit >= 1 && o.items_default_limit <= o.items_max_limit,
              "items_default_limit", "must be in 1..items_max_limit"),
        Check(std::isfinite(o.locate_max_distance_m) && o.locate_max_distance_m >= 0 &&
                  o.locate_max_distance_m <= o.locate_max_distance_limit_m,
              "locate_max_distance_m", "must be in 0..locate_max_distance_limit_m"),
        Check(std::isfinite(o.locate_max_distance_limit_m), "locate_max_distance_limit_m",
              "must be finite"),
        Check(o.locate_threads >= 0, "locate_threads", "must not be negative"),
        Check(o.max_upload_bytes > 0, "max_upload_bytes", "must be positive"),
        Check(o.store_poll_ms >= 0, "store_poll_ms", "must not be negative"),
        Check(o.read_access == "open" || o.read_access == "key", "read_access",
              "must be \"open\" or \"key\""),
        Check(o.as_of_cache >= 1 && o.as_of_cache <= 64, "as_of_cache", "must be in 1..64")}) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status LoadServerConfig(const std::string& path, ServerOptions* options) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::IoError(path + ": cannot read the configuration file");
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ": not valid YAML: " + e.what());
  }
  if (root.IsNull()) return Status::Ok();  // an empty file changes nothing
  if (!root.IsMap()) {
    return Status::InvalidArgument(path + ": the configuration must be a mapping of key: value");
  }
  const std::map<std::string, Reader, std::less<>> readers = Readers(*options);
  for (const auto& entry : root) {
    std::string key;
    try {
      key = entry.first.as<std::string>();
    } catch (const YAML::Exception&) {
      return Status::InvalidArgument(path + ": keys must be strings");
    }
    auto it = readers.find(key);
    if (it == readers.end()) {
      return Status::InvalidArgument(path + ": unknown key \"" + key +
                                     "\" (docs/server.md lists the keys)");
    }
    if (Status s = it->second(entry.second); !s.ok()) {
      return Status::InvalidArgument(path + ": " + key + ": " + std::string(s.message()) +
                                     " (got \"" + entry.second.Scalar() + "\")");
    }
  }
  if (Status s = ValidateServerOptions(*options); !s.ok()) return s.WithContext(path);
  return Status::Ok();
}

}  // namespace wangge::server
