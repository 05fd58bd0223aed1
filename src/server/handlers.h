// Request handlers, one group per file. Each reads the current snapshot once at its start
// (context.live->Get()) and answers from it alone. They never see Pistache (http_types.h).
#pragma once

#include <optional>

#include "server/context.h"
#include "server/http_types.h"

namespace wangge::server {

// health.cc
// GET /healthz: the process is up.
Reply HandleHealthz(const Context& context, const HttpRequest& request);
// GET /readyz: a snapshot is loaded and the server is not shutting down; tells its version.
Reply HandleReadyz(const Context& context, const HttpRequest& request);
// GET /metrics: Prometheus text.
Reply HandleMetrics(const Context& context, const HttpRequest& request);

// landing.cc
// GET /: the OGC API landing page. The one place that negotiates HTML (the one-map page) vs JSON.
Reply HandleLanding(const Context& context, const HttpRequest& request);
// GET /conformance: the OGC API conformance classes implemented.
Reply HandleConformance(const Context& context, const HttpRequest& request);
// GET /api: this API's OpenAPI 3.0 document (api/openapi.yaml, embedded at build time).
Reply HandleApiDocument(const Context& context, const HttpRequest& request);

// features.cc: OGC API – Features, one collection per level.
Reply HandleCollections(const Context& context, const HttpRequest& request);
Reply HandleCollection(const Context& context, const HttpRequest& request);
Reply HandleItems(const Context& context, const HttpRequest& request);
Reply HandleItem(const Context& context, const HttpRequest& request);

// locate.cc
// GET /v1/locate?lon=&lat=[&crs=][&max_distance_m=]: one point.
Reply HandleLocateGet(const Context& context, const HttpRequest& request);
// POST /v1/locate: a batch as a JSON array, a GeoJSON FeatureCollection or CSV.
Reply HandleLocatePost(const Context& context, const HttpRequest& request);

// regions.cc
// GET /v1/regions/{code}: a region with its parent chain, children and attributes.
Reply HandleRegion(const Context& context, const HttpRequest& request);

// coverage.cc
// GET /v1/coverage[?f=json|geojson]: the live snapshot's coverage report.
Reply HandleCoverage(const Context& context, const HttpRequest& request);

// tiles_handlers.cc: map layers and the one-map page (web/).
// GET /tiles/{z}/{x}/{y}.mvt: one vector tile; 204 when empty, 304 on a matching If-None-Match.
Reply HandleTile(const Context& context, const HttpRequest& request);
// GET /tiles.json: TileJSON 3.0.0. GET /style.json: the MapLibre style.
Reply HandleTileJson(const Context& context, const HttpRequest& request);
Reply HandleStyle(const Context& context, const HttpRequest& request);
// GET /fonts/{fontstack}/{range}.pbf: glyph ranges of the style's labels.
Reply HandleGlyphs(const Context& context, const HttpRequest& request);
// GET /web/{file}, /web/maplibre/{file}: the page's files and MapLibre GL's dist/.
Reply HandleWebFile(const Context& context, const HttpRequest& request);
Reply HandleMaplibreFile(const Context& context, const HttpRequest& request);
// GET /web/fonts/{file}: label fonts copied from Debian packages by scripts/setup-web.sh.
Reply HandleWebFontFile(const Context& context, const HttpRequest& request);
// Returns the one-map page (web/index.html) for GET / from a browser, or nullopt when no web/
// folder was found (then / stays the JSON landing page).
std::optional<Reply> WebPageReply(const Context& context, const HttpRequest& request);

}  // namespace wangge::server
