// The map routes over real HTTP on 127.0.0.1, port 0: /tiles/{z}/{x}/{y}.mvt (200, 204, 400, 304,
// gzip, caching headers), /tiles.json, /style.json, the glyph ranges and the one-map page files.
// The tile bytes are compared with the snapshot's own TileSource, the oracle the route must
// forward unchanged.
#include <cmath>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/server.h"
#include "server/server_fixture.h"
#include "support/http_client.h"
#include "support/test_support.h"
#include "wangge/tiles/tile_id.h"

namespace wangge::server {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using wangge::testing::GridSnapshot;
using wangge::testing::Gunzip;
using wangge::testing::HttpClient;
using wangge::testing::HttpResponse;
using json = nlohmann::json;

// The z15 tile holding the middle of unit 350302001001 (119.00–119.02 x 25.40–25.41).
TileId UnitTile() {
  const Point world = LonLatToWorld({119.01, 25.405});
  const double n = std::ldexp(1.0, 15);
  return {15, static_cast<uint32_t>(world.x * n), static_cast<uint32_t>(world.y * n)};
}

std::string TilePath(const TileId& t) {
  return "/tiles/" + std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y) +
         ".mvt";
}

class TilesRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    live_ = GridSnapshot();
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.access_log = "off";
    options.web_root = (wangge::testing::SourceDir() / "web").string();
    auto server = Server::Start(options, live_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  HttpResponse Get(const std::string& target, const std::string& headers = "") {
    HttpClient client(server_->port());
    return client.Get(target, headers);
  }
  static json Json(const HttpResponse& response) {
    json parsed = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << response.body.substr(0, 200);
    return parsed;
  }
  std::string version() const { return live_->Get()->version; }

  std::shared_ptr<LiveSnapshot> live_;
  std::unique_ptr<Server> server_;
};

TEST_F(TilesRoutesTest, BadTileAddressesAre400) {
  for (const char* target :
       {"/tiles/25/0/0.mvt", "/tiles/3/8/0.mvt", "/tiles/3/0/8.mvt", "/tiles/a/0/0.mvt",
        "/tiles/3/-1/0.mvt", "/tiles/3/0/0x1.mvt", "/tiles/99999999999/0/0.mvt"}) {
    const HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_THAT(r.header("content-type"), HasSubstr("application/json")) << target;
    EXPECT_EQ(Json(r)["error"]["code"], "invalid_argument") << target << " " << r.body;
  }
  EXPECT_EQ(Get(TilePath(UnitTile()) + "?x=1").status, 400);  // unknown query parameter
}

TEST_F(TilesRoutesTest, EmptyTileIs204WithoutBody) {
  const HttpResponse r = Get("/tiles/14/0/0.mvt");  // the far north-west: no region there
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.header("etag").empty());
}

TEST_F(TilesRoutesTest, TileIsTheSnapshotsMvtWithCachingHeaders) {
  const TileId tile = UnitTile();
  const HttpResponse r = Get(TilePath(tile));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/vnd.mapbox-vector-tile");
  EXPECT_EQ(r.header("content-encoding"), "");
  Result<std::string> expected = live_->Get()->tile_source().Render(tile);
  ASSERT_TRUE(expected.ok());
  ASSERT_FALSE(expected->empty());
  EXPECT_EQ(r.body, *expected);
  EXPECT_THAT(r.header("etag"), HasSubstr(version()));
  EXPECT_EQ(r.header("cache-control"), "public, no-cache");
  EXPECT_THAT(r.header("vary"), HasSubstr("Accept-Encoding"));

  // A URL naming the current version (as TileJSON writes it) may be kept; another must not.
  EXPECT_EQ(Get(TilePath(tile) + "?v=" + version()).header("cache-control"),
            "public, max-age=3600");
  EXPECT_EQ(Get(TilePath(tile) + "?v=0000").header("cache-control"), "public, no-cache");
  // A second request (now from the cache) answers the same bytes.
  EXPECT_EQ(Get(TilePath(tile)).body, *expected);
}

TEST_F(TilesRoutesTest, IfNoneMatchWithTheCurrentEtagIs304) {
  const std::string path = TilePath(UnitTile());
  const HttpResponse first = Get(path);
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.header("etag");
  ASSERT_FALSE(etag.empty());

  const HttpResponse again = Get(path, "If-None-Match: " + etag + "\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("etag"), etag);
  EXPECT_EQ(Get(path, "If-None-Match: \"other\", W/" + etag + "\r\n").status, 304);
  EXPECT_EQ(Get(path, "If-None-Match: \"0123456789abcdef\"\r\n").status, 200);
}

TEST_F(TilesRoutesTest, GzipWhenAcceptedWithItsOwnEtag) {
  const std::string path = TilePath(UnitTile());
  const HttpResponse plain = Get(path);
  const HttpResponse zipped = Get(path, "Accept-Encoding: gzip, deflate\r\n");
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.header("content-encoding"), "gzip");
  EXPECT_EQ(Gunzip(zipped.body), plain.body);
  EXPECT_NE(zipped.header("etag"), plain.header("etag"));
  // The identity ETag does not validate the gzip representation.
  EXPECT_EQ(
      Get(path, "Accept-Encoding: gzip\r\nIf-None-Match: " + plain.header("etag") + "\r\n").status,
      200);

  const HttpResponse refused = Get(path, "Accept-Encoding: gzip;q=0, identity\r\n");
  EXPECT_EQ(refused.header("content-encoding"), "");
  EXPECT_EQ(refused.body, plain.body);
}

TEST_F(TilesRoutesTest, TileJsonDescribesTheTiles) {
  const HttpResponse r = Get("/tiles.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.header("content-type"), HasSubstr("application/json"));
  const json tj = Json(r);
  EXPECT_EQ(tj["tilejson"], "3.0.0");
  ASSERT_TRUE(tj["tiles"].is_array());
  ASSERT_EQ(tj["tiles"].size(), 1u);
  const std::string url = tj["tiles"][0];
  EXPECT_THAT(url, StartsWith("http://"));
  EXPECT_THAT(url, HasSubstr("/tiles/{z}/{x}/{y}.mvt"));
  EXPECT_THAT(url, HasSubstr(version()));
  std::set<std::string> layers;
  for (const json& layer : tj["vector_layers"]) {
    EXPECT_TRUE(layer["fields"].is_object()) << layer;
    layers.insert(layer["id"].get<std::string>());
  }
  EXPECT_TRUE(layers.count("district") && layers.count("grid") && layers.count("unit"));
  ASSERT_EQ(tj["bounds"].size(), 4u);
  EXPECT_NEAR(tj["bounds"][0].get<double>(), 119.00, 1e-6);
  EXPECT_NEAR(tj["bounds"][3].get<double>(), 25.42, 1e-6);
  const HttpResponse again = Get("/tiles.json", "If-None-Match: " + r.header("etag") + "\r\n");
  EXPECT_EQ(again.status, 304);
}

TEST_F(TilesRoutesTest, StyleIsAValidMapLibreStyleOverTheTiles) {
  const HttpResponse r = Get("/style.json");
  ASSERT_EQ(r.status, 200);
  const json style = Json(r);
  EXPECT_EQ(style["version"], 8);
  ASSERT_TRUE(style["sources"].is_object());
  ASSERT_EQ(style["sources"].size(), 1u);
  const std::string source = style["sources"].begin().key();
  EXPECT_EQ(style["sources"][source]["type"], "vector");
  EXPECT_THAT(style["sources"][source]["url"].get<std::string>(), HasSubstr("/tiles.json"));
  const std::string glyphs = style["glyphs"];
  EXPECT_THAT(glyphs, HasSubstr("{fontstack}"));
  EXPECT_THAT(glyphs, HasSubstr("{range}"));

  const std::set<std::string> layer_names = {"district", "grid", "unit", "labels"};
  std::set<std::string> ids;
  for (const json& layer : style["layers"]) {
    const std::string id = layer["id"];
    EXPECT_TRUE(ids.insert(id).second) << "duplicate layer id " << id;
    const std::string type = layer["type"];
    EXPECT_TRUE(std::set<std::string>({"background", "fill", "line", "symbol"}).count(type)) << id;
    if (type == "background") continue;
    EXPECT_EQ(layer["source"], source) << id;
    EXPECT_TRUE(layer_names.count(layer["source-layer"].get<std::string>())) << id;
    if (layer.contains("minzoom")) {
      EXPECT_LE(layer["minzoom"].get<int>(), layer["maxzoom"].get<int>()) << id;
    }
  }
  EXPECT_TRUE(ids.count("unit-fill") && ids.count("grid-line") && ids.count("background"));

  // Every label font stack is served (an empty glyph set: CJK comes from local fonts).
  const HttpResponse font = Get("/fonts/Noto%20Sans%20Regular/0-255.pbf");
  EXPECT_EQ(font.status, 200);
  EXPECT_EQ(font.header("content-type"), "application/x-protobuf");
  EXPECT_EQ(Get("/fonts/Noto%20Sans%20Regular/abc.pbf").status, 400);
}

TEST_F(TilesRoutesTest, BrowsersGetThePageAndJsonClientsTheLandingPage) {
  const HttpResponse page = Get("/", "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n");
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 200);
  EXPECT_THAT(page.header("content-type"), StartsWith("text/html"));
  EXPECT_THAT(page.body, HasSubstr("/web/app.js"));
  EXPECT_THAT(page.header("vary"), HasSubstr("Accept"));

  const HttpResponse landing = Get("/", "Accept: application/json\r\n");
  ASSERT_EQ(landing.status, 200);
  EXPECT_TRUE(Json(landing).contains("links"));

  const HttpResponse script = Get("/web/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_THAT(script.header("content-type"), StartsWith("text/javascript"));
  EXPECT_THAT(script.body, HasSubstr("maplibre-gl.mjs"));
  EXPECT_EQ(Get("/web/app.css").status, 200);
}

TEST_F(TilesRoutesTest, StaticFilesStayInsideTheWebFolder) {
  for (const char* target :
       {"/web/..%2F..%2FCMakeLists.txt", "/web/%2e%2e%2fCMakeLists.txt", "/web/.hidden.js",
        "/web/package.json.bak", "/web/maplibre/..%2F..%2F..%2Fpackage.json", "/web/nothere.js",
        "/web/CMakeLists.txt"}) {
    const HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 404) << target << " " << r.body.substr(0, 100);
  }
}

TEST_F(TilesRoutesTest, ServesMapLibreFromTheWebFolder) {
  if (!std::filesystem::exists(wangge::testing::SourceDir() / "web" / "node_modules")) {
    GTEST_SKIP() << "web/node_modules is missing: run scripts/setup-web.sh";
  }
  const HttpResponse r = Get("/web/maplibre/maplibre-gl.mjs");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.header("content-type"), StartsWith("text/javascript"));
  EXPECT_GT(r.body.size(), 100'000u);
  EXPECT_EQ(Get("/web/maplibre/maplibre-gl-worker.mjs").status, 200);
  EXPECT_EQ(Get("/web/maplibre/maplibre-gl.css").status, 200);
}

TEST_F(TilesRoutesTest, ServesTheLabelFontWhenSetUp) {
  if (!std::filesystem::exists(wangge::testing::SourceDir() / "web" / "fonts" /
                               "LiberationSans-Regular.ttf")) {
    GTEST_SKIP() << "web/fonts is missing: run scripts/setup-web.sh";
  }
  const HttpResponse r = Get("/web/fonts/LiberationSans-Regular.ttf");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "font/ttf");
  EXPECT_GT(r.body.size(), 10'000u);
  EXPECT_EQ(Get("/web/fonts/..%2F..%2Fsrc%2Fserver%2Froutes.cc").status, 404);
}

}  // namespace
}  // namespace wangge::server
