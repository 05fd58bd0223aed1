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

// versions.cc: drafts and versions of the server's store (issue 7); 404 without a store.
// POST /v1/drafts[?message=][&name=]: a GeoPackage, zip or GeoJSON body becomes a draft (201).
Reply HandleDraftCreate(const Context& context, const HttpRequest& request);
// GET /v1/drafts, GET and DELETE /v1/drafts/{id}.
Reply HandleDraftList(const Context& context, const HttpRequest& request);
Reply HandleDraftGet(const Context& context, const HttpRequest& request);
Reply HandleDraftDelete(const Context& context, const HttpRequest& request);
// GET /v1/drafts/{id}/coverage[?f=json|geojson]: the coverage report made at upload.
Reply HandleDraftCoverage(const Context& context, const HttpRequest& request);
// draft_diff.cc: what the draft changes against the served version.
// GET /v1/drafts/{id}/diff[?f=json|geojson]: region changes (wangge/store/diff_format.h).
Reply HandleDraftDiff(const Context& context, const HttpRequest& request);
// POST /v1/drafts/{id}/impact[?crs=]: the points (POST /v1/locate bodies) whose regions change.
Reply HandleDraftImpact(const Context& context, const HttpRequest& request);
// POST /v1/drafts/{id}/publish {"message", "force", "reason"}: 202 with the new version; the
// snapshot swaps once built (SnapshotPublisher).
Reply HandleDraftPublish(const Context& context, const HttpRequest& request);
// GET /v1/versions (versions, history, live and served), GET /v1/versions/{id}.
Reply HandleVersionList(const Context& context, const HttpRequest& request);
Reply HandleVersionGet(const Context& context, const HttpRequest& request);
// POST /v1/versions/{id}/rollback {"message"}: 202, that version is live again.
Reply HandleVersionRollback(const Context& context, const HttpRequest& request);

}  // namespace wangge::server
