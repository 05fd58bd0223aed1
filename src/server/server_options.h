// ServerOptions: every setting of `wangge serve`, from flags and an optional YAML file
// (`--config FILE`, one top-level key per field below, same names; docs/server.md lists them).
//
//   ServerOptions options;
//   Status s = LoadServerConfig("serve.yaml", &options);   // keys absent from the file keep
//   if (!s.ok()) return s;                                 // their defaults
//
// Thread safety: a plain value; LoadServerConfig is reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/api_keys.h"
#include "wangge/base/status.h"

namespace wangge::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; Server::port() tells which
  int threads = 0;       // reactor (request) threads; 0 = number of cores

  // Limits. A larger body is refused with 413 as soon as its Content-Length is seen.
  size_t max_body_bytes = 64u << 20;
  size_t max_header_bytes = 64u << 10;
  // The largest draft upload (POST /v1/drafts), for a city-sized GeoPackage; held in memory
  // while it is received.
  size_t max_upload_bytes = 512u << 20;
  // A client must send its request line and headers within header_timeout_ms of starting, and
  // its body within body_timeout_ms; an idle keep-alive connection is closed after
  // keepalive_timeout_ms.
  int header_timeout_ms = 10'000;
  int body_timeout_ms = 60'000;
  int keepalive_timeout_ms = 60'000;
  // On SIGTERM, requests in flight get this long to finish before the process stops.
  int shutdown_grace_ms = 10'000;

  // Access log: "-" = stderr, "off", or a file path (appended to). One JSON object per line.
  std::string access_log = "-";
  // Raw coordinates are personal data: the query string is logged only when this is true.
  bool log_coordinates = false;

  bool gzip = true;              // compress when the client accepts gzip ...
  size_t gzip_min_bytes = 1024;  // ... and the body is at least this large
  // Access-Control-Allow-Origin sent with every response; "" sends no CORS headers.
  std::string cors_origin = "*";
  // The service's public base URL for links (e.g. "https://grid.example.org/api"); empty = the
  // scheme and Host the client used.
  std::string public_url;

  // OGC API items paging: limit when the client gives none, and the largest limit honoured.
  size_t items_default_limit = 100;
  size_t items_max_limit = 10'000;

  // Locate: the nearest-unit search radius used when a request gives no max_distance_m, and the
  // largest radius a request may ask for (metres).
  double locate_max_distance_m = 0;
  double locate_max_distance_limit_m = 5'000;
  // Threads for one batch: 0 = all cores, 1 = the request thread only.
  int locate_threads = 0;

  // The one-map page: the web/ folder (index.html, node_modules/maplibre-gl); empty = found next
  // to the executable or in the source tree (src/server/tiles_handlers.cc).
  std::string web_root;
  // Bytes of rendered tiles kept in memory (one cache per process, emptied on a new version).
  size_t tile_cache_bytes = 256u << 20;

  // Versions (issue 7): the store directory (flag --store; empty = serve DATASET read-only), how
  // often the server re-reads it for versions published by other processes (ms, 0 = never), and
  // how many older versions it keeps built for as-of lookups (`at=`).
  std::string store;
  int store_poll_ms = 1000;
  size_t as_of_cache = 2;

  // Access (src/server/api_keys.h): write endpoints need a key with the planner role; reads are
  // "open" to anyone or need any valid "key".
  std::string read_access = "open";
  std::vector<ApiKey> api_keys;
};

// Reads the YAML mapping at `path` into `options`. Fails with kInvalidArgument naming the file and
// key for an unknown key, a value of the wrong type or out of range; kIoError if it cannot be read.
Status LoadServerConfig(const std::string& path, ServerOptions* options);

// Returns every key the configuration file may set (docs/server.md documents each).
std::vector<std::string> ServerConfigKeys();

// Checks ranges (e.g. port, limits, timeouts); the same rules LoadServerConfig applies.
Status ValidateServerOptions(const ServerOptions& options);

}  // namespace wangge::server
