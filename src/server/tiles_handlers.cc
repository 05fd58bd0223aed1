// Map layers and the one-map page (issue 6): vector tiles, TileJSON, the MapLibre style, glyph
// ranges, and the static files of web/ (the page and MapLibre GL from web/node_modules).
//
// Caching: tile answers carry a strong ETag per snapshot version and encoding, so a client or proxy
// revalidates with If-None-Match and gets 304 once a tile is known; Cache-Control lets clients keep
// a tile for an hour when its URL names the current version (?v=, as TileJSON writes it) and makes
// them revalidate otherwise. Rendered tiles are kept in one bounded TileCache per process (keyed by
// version, so a publish empties it).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "server/handlers.h"
#include "server/http_status.h"
#include "server/params.h"
#include "wangge/tiles/gzip.h"
#include "wangge/tiles/tile_cache.h"
#include "wangge/tiles/tile_id.h"

namespace wangge::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMvtType = "application/vnd.mapbox-vector-tile";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// True when Accept-Encoding allows gzip (listed without q=0, or "*" without gzip refused).
bool AcceptsGzip(const HttpRequest& request) {
  const std::optional<std::string_view> accept = request.Header("accept-encoding");
  if (!accept) return false;
  bool gzip = false;
  bool gzip_listed = false;
  bool star = false;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::string name = Lower(Trim(item.substr(0, item.find(';'))));
    bool refused = false;
    if (const size_t q = item.find("q="); q != std::string_view::npos) {
      const std::string_view value = Trim(item.substr(q + 2));
      refused = value.find_first_not_of("0.") == std::string_view::npos;
    }
    if (name == "gzip" || name == "x-gzip") {
      gzip_listed = true;
      gzip = !refused;
    } else if (name == "*") {
      star = !refused;
    }
  }
  return gzip || (star && !gzip_listed);
}

// True when If-None-Match lists `etag` (weak comparison, as RFC 9110 asks for GET) or is "*".
bool NotModified(const HttpRequest& request, std::string_view etag) {
  const std::optional<std::string_view> header = request.Header("if-none-match");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view tag = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

Reply NotModifiedReply(std::string etag, std::string cache_control) {
  Reply reply;
  reply.status = 304;
  reply.content_type.clear();
  reply.headers = {{"ETag", std::move(etag)}, {"Cache-Control", std::move(cache_control)}};
  return reply;
}

// One cache for the process. The server serves one LiveSnapshot, and the cache is keyed by its
// version, so a publish or rollback drops the old tiles.
TileCache& ProcessTileCache(size_t max_bytes) {
  static TileCache* cache = new TileCache(max_bytes);  // never destroyed: used until exit
  return *cache;
}

// Returns the Cache-Control of a versioned resource: long-lived when the URL pins the current
// version, else revalidate every time (the ETag makes that cheap).
std::string CacheControl(const HttpRequest& request, std::string_view version) {
  const std::optional<std::string_view> v = request.Query("v");
  return v && *v == version ? "public, max-age=3600" : "public, no-cache";
}

// --- static files ---

std::optional<fs::path> ExecutableDir() {
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  return exe.parent_path();
}

bool IsWebRoot(const fs::path& dir) {
  std::error_code error;
  return fs::is_regular_file(dir / "index.html", error);
}

// Finds web/: the configured --web-root, else $WANGGE_WEB_ROOT, else <prefix>/share/wangge/web
// next to an installed executable, else a web/ folder in a parent of the executable's folder (a
// build tree inside the source tree), else the source tree this binary was built from.
std::optional<fs::path> FindWebRoot(const ServerOptions& options) {
  if (!options.web_root.empty()) return fs::path(options.web_root);
  if (const char* env = std::getenv("WANGGE_WEB_ROOT"); env && *env) return fs::path(env);
  if (std::optional<fs::path> dir = ExecutableDir()) {
    if (IsWebRoot(*dir / ".." / "share" / "wangge" / "web")) {
      return *dir / ".." / "share" / "wangge" / "web";
    }
    for (fs::path up = *dir; !up.empty() && up != up.parent_path(); up = up.parent_path()) {
      if (IsWebRoot(up / "web")) return up / "web";
    }
  }
#ifdef WANGGE_SOURCE_WEB_ROOT
  if (IsWebRoot(WANGGE_SOURCE_WEB_ROOT)) return fs::path(WANGGE_SOURCE_WEB_ROOT);
#endif
  return std::nullopt;
}

// Looked up per request (a few stat calls), so a folder installed after startup is found.
std::optional<fs::path> WebRoot(const ServerOptions& options) { return FindWebRoot(options); }

std::string_view ContentTypeOf(std::string_view name) {
  struct Type {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".woff2", "font/woff2"},
  };
  for (const Type& t : kTypes) {
    if (name.ends_with(t.extension)) return t.type;
  }
  return {};
}

// A file name from a URL segment: no separators, no parent references, no hidden files, and a
// known type (so nothing but page assets is ever served).
bool SafeFileName(std::string_view name) {
  return !name.empty() && name.front() != '.' && name.find('/') == std::string_view::npos &&
         name.find('\\') == std::string_view::npos && name.find('\0') == std::string_view::npos &&
         !ContentTypeOf(name).empty();
}

Reply FileReply(const Context& context, const fs::path& relative_dir, std::string_view name) {
  const std::optional<fs::path> root = WebRoot(context.options);
  if (!root) {
    return ErrorReply(Status::NotFound(
        "the web page is not installed: start the server with --web-root pointing at web/"));
  }
  if (!SafeFileName(name)) return ErrorReply(Status::NotFound("no such file"));
  const fs::path path = *root / relative_dir / std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ErrorReply(Status::NotFound(
        "no file " + std::string(name) +
        (relative_dir.empty() ? std::string() : " (run scripts/setup-web.sh to install it)")));
  }
  std::ostringstream body;
  body << in.rdbuf();
  Reply reply;
  reply.content_type = std::string(ContentTypeOf(name));
  reply.body = std::move(body).str();
  reply.headers = {{"Cache-Control", "no-cache"}};
  return reply;
}

}  // namespace

Reply HandleTile(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"v"}); !s.ok()) return ErrorReply(s);
  Result<TileId> tile =
      ParseTileId(request.path_params[0], request.path_params[1], request.path_params[2]);
  if (!tile.ok()) return ErrorReply(tile.status());
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  const bool gzip = context.options.gzip && AcceptsGzip(request);
  const TileEncoding encoding = gzip ? TileEncoding::kGzip : TileEncoding::kIdentity;
  std::string etag = "\"" + snapshot->fingerprint + (gzip ? "-gz\"" : "\"");
  std::string cache_control = CacheControl(request, snapshot->fingerprint);
  if (NotModified(request, etag)) {
    Reply reply = NotModifiedReply(std::move(etag), std::move(cache_control));
    reply.headers.emplace_back("Vary", "Accept-Encoding");
    return reply;
  }

  TileCache& cache = ProcessTileCache(context.options.tile_cache_bytes);
  std::shared_ptr<const std::string> bytes = cache.Get(snapshot->fingerprint, *tile, encoding);
  if (!bytes) {
    Result<std::string> mvt = snapshot->tile_source().Render(*tile);
    if (!mvt.ok()) return ErrorReply(mvt.status());
    std::string body = std::move(mvt).value();
    if (gzip && !body.empty()) {
      Result<std::string> compressed = wangge::GzipCompress(body);
      if (!compressed.ok()) return ErrorReply(compressed.status());
      body = std::move(compressed).value();
    }
    bytes = std::make_shared<const std::string>(std::move(body));
    cache.Put(snapshot->fingerprint, *tile, encoding, bytes);
  }

  Reply reply;
  reply.headers = {{"ETag", std::move(etag)},
                   {"Cache-Control", std::move(cache_control)},
                   {"Vary", "Accept-Encoding"}};
  if (bytes->empty()) {
    reply.status = 204;
    reply.content_type.clear();
    return reply;
  }
  reply.content_type = std::string(kMvtType);
  if (gzip) reply.headers.emplace_back("Content-Encoding", "gzip");
  reply.body = *bytes;
  return reply;
}

Reply HandleTileJson(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  std::string etag = "\"" + snapshot->fingerprint + "-tilejson\"";
  if (NotModified(request, etag)) return NotModifiedReply(std::move(etag), "public, no-cache");
  Reply reply;
  reply.body = snapshot->tile_source().TileJson(request.base_url, snapshot->fingerprint);
  reply.headers = {{"ETag", std::move(etag)}, {"Cache-Control", "public, no-cache"}};
  return reply;
}

Reply HandleStyle(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  std::string etag = "\"" + snapshot->fingerprint + "-style\"";
  if (NotModified(request, etag)) return NotModifiedReply(std::move(etag), "public, no-cache");
  Reply reply;
  reply.body = snapshot->tile_source().Style(request.base_url);
  reply.headers = {{"ETag", std::move(etag)}, {"Cache-Control", "public, no-cache"}};
  return reply;
}

// Labels are Chinese names, which MapLibre draws from the browser's local CJK fonts
// (localIdeographFontFamily), so no glyph PBFs are generated: every valid range is answered with
// an empty glyph set (a valid, empty protobuf message), which keeps the style working offline.
// Latin letters in names are then not drawn.
Reply HandleGlyphs(const Context&, const HttpRequest& request) {
  const std::string& range = request.path_params[1];
  const size_t dash = range.find('-');
  const bool digits = !range.empty() && range.find_first_not_of("0123456789-") == std::string::npos;
  if (!digits || dash == std::string::npos || dash == 0 || dash + 1 == range.size() ||
      range.find('-', dash + 1) != std::string::npos || range.size() > 12) {
    return ErrorReply(
        Status::InvalidArgument("glyph range must look like 0-255, got " + range.substr(0, 32)));
  }
  Reply reply;
  reply.content_type = "application/x-protobuf";
  reply.headers = {{"Cache-Control", "public, max-age=86400"}};
  return reply;
}

Reply HandleWebFile(const Context& context, const HttpRequest& request) {
  return FileReply(context, fs::path(), request.path_params[0]);
}

Reply HandleMaplibreFile(const Context& context, const HttpRequest& request) {
  return FileReply(context, fs::path("node_modules") / "maplibre-gl" / "dist",
                   request.path_params[0]);
}

Reply HandleWebFontFile(const Context& context, const HttpRequest& request) {
  return FileReply(context, fs::path("fonts"), request.path_params[0]);
}

std::optional<Reply> WebPageReply(const Context& context, const HttpRequest&) {
  if (!WebRoot(context.options)) return std::nullopt;
  Reply reply = FileReply(context, fs::path(), "index.html");
  reply.headers.emplace_back("Vary", "Accept");
  return reply;
}

}  // namespace wangge::server
