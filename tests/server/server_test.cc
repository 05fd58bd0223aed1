// The server over real HTTP on 127.0.0.1, port 0: every route, every documented error, and the
// transport's promises (keep-alive, CORS, gzip, limits, timeouts, graceful shutdown, access log).
#include "server/server.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/server_fixture.h"
#include "support/http_client.h"
#include "support/test_support.h"
#include "wangge/crs/china_offsets.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using wangge::testing::GridSnapshot;
using wangge::testing::Gunzip;
using wangge::testing::HttpClient;
using wangge::testing::HttpResponse;
using wangge::testing::RawConnection;
using json = nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(ServerOptions options) {
    server_.reset();
    live_ = GridSnapshot();
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    if (options.access_log == "-") options.access_log = "off";
    auto server = Server::Start(options, live_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  HttpResponse Get(const std::string& target, const std::string& headers = "") {
    HttpClient client(server_->port());
    return client.Get(target, headers);
  }
  HttpResponse Post(const std::string& target, const std::string& body,
                    const std::string& content_type) {
    HttpClient client(server_->port());
    return client.Request("POST", target, body, "Content-Type: " + content_type + "\r\n");
  }
  static json Json(const HttpResponse& response) {
    json parsed = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << response.body.substr(0, 200);
    return parsed;
  }
  // Checks a JSON error answer and returns its error.code.
  static std::string ErrorCode(const HttpResponse& response) {
    EXPECT_THAT(response.header("content-type"), HasSubstr("application/json"));
    const json body = Json(response);
    EXPECT_TRUE(body["error"]["message"].is_string()) << response.body;
    return body["error"].value("code", "");
  }

  std::shared_ptr<LiveSnapshot> live_;
  std::unique_ptr<Server> server_;
};

// --- transport ---

TEST_F(ServerTest, KeepsHttp11ConnectionsAliveAndClosesWhenAsked) {
  HttpClient client(server_->port());
  auto first = client.Get("/healthz");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(Json(first)["status"], "ok");
  EXPECT_THAT(first.header("content-type"), HasSubstr("application/json"));
  EXPECT_EQ(first.header("connection"), "keep-alive");
  EXPECT_TRUE(client.connected()) << "HTTP/1.1 without a Connection header must stay open";
  EXPECT_EQ(client.Get("/healthz").status, 200);
  auto last = client.Get("/healthz", "Connection: close\r\n");
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.header("connection"), "close");
  EXPECT_FALSE(client.connected());
}

TEST_F(ServerTest, EveryAnswerCarriesCorsHeadersAndPreflightIsAnswered) {
  EXPECT_EQ(Get("/healthz").header("access-control-allow-origin"), "*");
  EXPECT_EQ(Get("/no/such/route").header("access-control-allow-origin"), "*");
  HttpClient client(server_->port());
  auto preflight = client.Request("OPTIONS", "/v1/locate", "",
                                  "Origin: http://map.example\r\n"
                                  "Access-Control-Request-Method: POST\r\n");
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.header("access-control-allow-origin"), "*");
  EXPECT_EQ(preflight.header("access-control-allow-methods"), "GET, HEAD, POST, OPTIONS");
  EXPECT_THAT(preflight.header("access-control-allow-headers"), HasSubstr("Content-Type"));
  EXPECT_EQ(preflight.header("allow"), "GET, HEAD, POST, OPTIONS");
}

TEST_F(ServerTest, CorsOriginIsConfigurableAndCanBeTurnedOff) {
  ServerOptions options;
  options.cors_origin = "https://map.example";
  Start(options);
  EXPECT_EQ(Get("/healthz").header("access-control-allow-origin"), "https://map.example");
  options.cors_origin = "";
  Start(options);
  EXPECT_EQ(Get("/healthz").header("access-control-allow-origin"), "");
}

TEST_F(ServerTest, CompressesWithGzipOnlyWhenAsked) {
  auto plain = Get("/api");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_THAT(plain.header("vary"), HasSubstr("Accept-Encoding"));
  auto gzipped = Get("/api", "Accept-Encoding: deflate, gzip;q=0.8\r\n");
  ASSERT_EQ(gzipped.status, 200);
  EXPECT_EQ(gzipped.header("content-encoding"), "gzip");
  EXPECT_LT(gzipped.body.size(), plain.body.size() / 3);
  EXPECT_EQ(Gunzip(gzipped.body), plain.body);
  EXPECT_EQ(Get("/api", "Accept-Encoding: gzip;q=0\r\n").header("content-encoding"), "");
  EXPECT_EQ(Get("/api", "Accept-Encoding: identity\r\n").header("content-encoding"), "");
  // Small bodies are not worth it.
  EXPECT_EQ(Get("/healthz", "Accept-Encoding: gzip\r\n").header("content-encoding"), "");
}

TEST_F(ServerTest, StreamedAnswersAreGzippedWhole) {
  std::string csv = "id,lon,lat\n";
  for (int i = 0; i < 5000; ++i) csv += "p" + std::to_string(i) + ",119.01,25.405\n";
  HttpClient client(server_->port());
  auto plain = client.Request("POST", "/v1/locate", csv, "Content-Type: text/csv\r\n");
  auto gzipped = client.Request("POST", "/v1/locate", csv,
                                "Content-Type: text/csv\r\nAccept-Encoding: gzip\r\n");
  ASSERT_EQ(gzipped.status, 200);
  EXPECT_EQ(gzipped.header("transfer-encoding"), "chunked");
  EXPECT_EQ(gzipped.header("content-encoding"), "gzip");
  EXPECT_EQ(Gunzip(gzipped.body), plain.body);
  EXPECT_TRUE(client.connected());
}

TEST_F(ServerTest, UnknownRouteAndPathTraversalAreJsonNotFound) {
  for (const std::string target :
       {"/no/such/route", "/collections/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
        "/v1/regions/../../../etc/passwd", "/healthz/", "//healthz", "/api%00", "/%ff%fe"}) {
    auto response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(ErrorCode(response), "not_found") << target;
    EXPECT_THAT(response.body, Not(HasSubstr("root:"))) << target;
  }
  auto body = Json(Get("/no/such/route"));
  EXPECT_THAT(body["error"]["message"].get<std::string>(), HasSubstr("/no/such/route"));
}

TEST_F(ServerTest, WrongMethodIsMethodNotAllowedWithAllow) {
  HttpClient client(server_->port());
  auto response = client.Request("DELETE", "/v1/locate");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(ErrorCode(response), "method_not_allowed");
  EXPECT_EQ(response.header("allow"), "GET, HEAD, POST, OPTIONS");
  auto put = client.Request("PUT", "/healthz", "{}");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.header("allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(client.Request("POST", "/collections", "{}").status, 405);
  // HEAD is the GET answer without its body.
  auto head = client.Request("HEAD", "/collections/unit/items");
  EXPECT_EQ(head.status, 200);
  EXPECT_THAT(head.header("content-type"), HasSubstr("application/geo+json"));
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(client.Get("/healthz").status, 200);
  EXPECT_TRUE(client.connected());
}

TEST_F(ServerTest, MalformedHttpIsAJsonBadRequestAndClosesTheConnection) {
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(raw.Send("BREW /coffee HTCPCP/1.0\r\n\r\n"));
  const std::string answer = raw.ReadAll();
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(answer, HasSubstr("\"code\":\"bad_request\""));
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  RawConnection raw(server_->port());
  ASSERT_TRUE(
      raw.Send("GET /healthz HTTP/1.1\r\nX-Filler: " + std::string(100'000, 'a') + "\r\n\r\n"));
  const std::string answer = raw.ReadAll();
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 431"));
  EXPECT_THAT(answer, HasSubstr("request_header_fields_too_large"));
}

TEST_F(ServerTest, BodyAboveTheLimitIs413AsSoonAsContentLengthIsSeen) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  Start(options);
  // Only the headers are sent: the answer must not wait for a body that is never coming.
  RawConnection raw(server_->port());
  ASSERT_TRUE(
      raw.Send("POST /v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
               "Content-Length: 5000000\r\n\r\nid,lon,lat\n"));
  const std::string answer = raw.ReadAll();
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 413"));
  EXPECT_THAT(answer, HasSubstr("\"code\":\"payload_too_large\""));
  EXPECT_THAT(answer, HasSubstr("Connection: close"));
  // A body within the limit still works, on a new connection.
  EXPECT_EQ(Post("/v1/locate", "id,lon,lat\na,119.01,25.405\n", "text/csv").status, 200);
  // A chunked body that grows past the limit is refused too.
  RawConnection chunked(server_->port());
  std::string request =
      "POST /v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += "3e8\r\n" + std::string(1000, '1') + "\r\n";
  ASSERT_TRUE(chunked.Send(request));
  EXPECT_THAT(chunked.ReadAll(), StartsWith("HTTP/1.1 413"));
}

TEST_F(ServerTest, ASlowClientIsCutOffAtTheHeaderTimeout) {
  ServerOptions options;
  options.header_timeout_ms = 300;
  Start(options);
  RawConnection slow(server_->port(), /*receive_timeout_ms=*/20'000);
  ASSERT_TRUE(slow.Send("GET /hea"));
  // The server closes the connection (with or without a 408) instead of waiting forever, and
  // answers others meanwhile.
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_TRUE(slow.WaitClosed());
  EXPECT_EQ(Get("/healthz").status, 200);
}

// --- operations ---

TEST_F(ServerTest, ReadyzTellsTheVersionAndFollowsPublish) {
  auto ready = Json(Get("/readyz"));
  EXPECT_EQ(ready["status"], "ready");
  EXPECT_EQ(ready["version"], live_->Get()->version);
  EXPECT_EQ(ready["regions"], 7);

  // Publish a different version: the next request sees it, without a restart.
  Dataset smaller = testing::GridDataset();
  HierarchyBuilder b(std::vector<Level>{{"unit", "单元"}});
  b.Add({.level = 0, .code = "x", .geometry = testing::Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  smaller.hierarchy = std::move(b).Build(nullptr);
  auto next = BuildSnapshot(std::move(smaller));
  ASSERT_TRUE(next.ok());
  live_->Publish(*next);
  ready = Json(Get("/readyz"));
  EXPECT_EQ(ready["version"], (*next)->version);
  EXPECT_EQ(ready["regions"], 1);

  // Draining: not ready any more, still answering, closing connections after each answer.
  server_->Drain();
  HttpClient client(server_->port());
  auto draining = client.Get("/readyz");
  EXPECT_EQ(draining.status, 503);
  EXPECT_EQ(Json(draining)["status"], "shutting_down");
  EXPECT_FALSE(client.connected());
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(ServerTest, MetricsCountRequestsPointsAndTellTheSnapshot) {
  Get("/v1/locate?lon=119.01&lat=25.405");
  Get("/v1/locate?lon=119.01&lat=25.405");
  Get("/v1/locate?lon=abc&lat=25.405");
  Get("/nope");
  Post("/v1/locate", "[[119.01,25.405],[120,26]]", "application/json");
  // A request is recorded just after its answer is handed to the network: wait until only the
  // metrics request itself is in flight.
  HttpResponse metrics;
  for (int i = 0; i < 1000; ++i) {
    metrics = Get("/metrics");
    if (metrics.body.find("wangge_http_requests_in_flight 1\n") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.header("content-type"), HasSubstr("text/plain"));
  const std::string& text = metrics.body;
  EXPECT_THAT(
      text,
      HasSubstr(
          "wangge_http_requests_total{route=\"/v1/locate\",method=\"GET\",code=\"200\"} 2\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "wangge_http_requests_total{route=\"/v1/locate\",method=\"GET\",code=\"400\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr("wangge_http_requests_total{route=\"unmatched\",method=\"GET\",code=\"404\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("wangge_http_request_duration_seconds_count{route=\"/v1/locate\"} 4\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "wangge_http_request_duration_seconds_bucket{route=\"/v1/locate\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("wangge_points_located_total{status=\"inside\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("wangge_points_located_total{status=\"outside\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("wangge_snapshot_info{version=\"" + live_->Get()->version + "\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("wangge_snapshot_regions{level=\"unit\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("wangge_build_info{version=\""));
  EXPECT_THAT(text, HasSubstr("wangge_http_requests_in_flight 1\n"));
  EXPECT_THAT(text, HasSubstr("process_resident_memory_bytes "));
  EXPECT_EQ(ErrorCode(Get("/metrics?x=1")), "invalid_argument");
}

TEST_F(ServerTest, AccessLogIsOneJsonLinePerRequestWithoutCoordinates) {
  const std::string path = (wangge::testing::ScratchDir() / "access.log").string();
  ServerOptions options;
  options.access_log = path;
  Start(options);
  Get("/v1/locate?lon=119.0123&lat=25.4056");
  Get("/no/such/route?secret=1");
  server_->Shutdown();
  std::ifstream in(path);
  std::string line;
  std::vector<json> lines;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  // Lines are written as answers complete: the two connections' may come in either order.
  if (lines[0]["route"] == "unmatched") std::swap(lines[0], lines[1]);
  EXPECT_EQ(lines[0]["method"], "GET");
  EXPECT_EQ(lines[0]["path"], "/v1/locate");
  EXPECT_EQ(lines[0]["route"], "/v1/locate");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_GT(lines[0]["bytes"].get<int>(), 100);
  EXPECT_TRUE(lines[0]["duration_ms"].is_number());
  EXPECT_THAT(
      lines[0]["time"].get<std::string>(),
      ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z"));
  EXPECT_FALSE(lines[0].contains("query"));
  EXPECT_EQ(lines[1]["route"], "unmatched");
  EXPECT_EQ(lines[1]["status"], 404);
  std::ifstream again(path);
  std::stringstream all;
  all << again.rdbuf();
  EXPECT_THAT(all.str(), Not(HasSubstr("119.0123")));
  EXPECT_THAT(all.str(), Not(HasSubstr("secret")));
}

TEST_F(ServerTest, AccessLogHasTheQueryOnlyWhenConfigured) {
  const std::string path = (wangge::testing::ScratchDir() / "access.log").string();
  ServerOptions options;
  options.access_log = path;
  options.log_coordinates = true;
  Start(options);
  Get("/v1/locate?lon=119.0123&lat=25.4056");
  server_->Shutdown();
  std::ifstream in(path);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  const std::string query = json::parse(line)["query"];
  EXPECT_THAT(query, HasSubstr("lon=119.0123"));
  EXPECT_THAT(query, HasSubstr("lat=25.4056"));
}

TEST_F(ServerTest, ShutdownFinishesTheRequestInFlight) {
  // A batch large enough to be in flight when Shutdown begins.
  std::string body = "[";
  for (int i = 0; i < 100'000; ++i) body += i ? ",[119.01,25.405]" : "[119.01,25.405]";
  body += "]";
  ServerOptions options;
  options.max_body_bytes = 64 << 20;
  Start(options);
  HttpResponse response;
  std::thread client([&] {
    HttpClient c(server_->port());
    response = c.Request("POST", "/v1/locate", body, "Content-Type: application/json\r\n");
  });
  while (server_->requests_in_flight() == 0 && response.status == 0) {
    std::this_thread::yield();
  }
  server_->Shutdown();
  client.join();
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("connection"), "close");
  const json answer = Json(response);
  ASSERT_EQ(answer["count"], 100'000);
  EXPECT_EQ(answer["results"].size(), 100'000u);
  EXPECT_EQ(answer["results"][99'999]["levels"]["unit"]["code"], "350302001001");
}

// --- OGC API – Features ---

TEST_F(ServerTest, LandingPageLinksTheApiConformanceAndCollections) {
  auto landing = Get("/");
  ASSERT_EQ(landing.status, 200);
  const json body = Json(landing);
  EXPECT_EQ(body["version"], live_->Get()->version);
  EXPECT_EQ(body["levels"][2]["name"], "unit");
  EXPECT_EQ(body["levels"][2]["regions"], 4);
  std::map<std::string, std::string> links;
  for (const json& link : body["links"]) links[link["rel"]] = link["href"];
  // Absolute links on the Host the client used (HttpClient sends "Host: 127.0.0.1").
  EXPECT_EQ(links["self"], "http://127.0.0.1/");
  EXPECT_EQ(links["service-desc"], "http://127.0.0.1/api?f=yaml");
  EXPECT_EQ(links["conformance"], "http://127.0.0.1/conformance");
  EXPECT_EQ(links["data"], "http://127.0.0.1/collections");
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\nHost: grid.example:8080\r\nConnection: close\r\n\r\n"));
  EXPECT_THAT(raw.ReadAll(), HasSubstr("\"http://grid.example:8080/collections\""));
  RawConnection forged(server_->port());
  ASSERT_TRUE(forged.Send("GET / HTTP/1.1\r\nHost: evil\"/><x\r\nConnection: close\r\n\r\n"));
  EXPECT_THAT(forged.ReadAll(), Not(HasSubstr("evil")));
  // A browser asking for HTML gets JSON until the one-map page is served.
  EXPECT_EQ(Get("/", "Accept: text/html,application/xhtml+xml\r\n").status, 200);
  EXPECT_EQ(ErrorCode(Get("/?f=xml")), "invalid_argument");
}

TEST_F(ServerTest, LinksUseThePublicUrlWhenConfigured) {
  ServerOptions options;
  options.public_url = "https://grid.example.org/wangge/";
  Start(options);
  const json body = Json(Get("/collections"));
  EXPECT_EQ(body["links"][0]["href"], "https://grid.example.org/wangge/collections");
}

TEST_F(ServerTest, ConformanceDeclaresCoreGeoJsonAndOpenApi) {
  const json body = Json(Get("/conformance"));
  std::set<std::string> classes(body["conformsTo"].begin(), body["conformsTo"].end());
  EXPECT_TRUE(classes.count("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"));
  EXPECT_TRUE(classes.count("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"));
  EXPECT_TRUE(classes.count("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"));
}

TEST_F(ServerTest, ApiServesTheOpenApiFileAsYamlAndJson) {
  auto yaml = Get("/api?f=yaml");
  ASSERT_EQ(yaml.status, 200);
  std::ifstream file(wangge::testing::SourceDir() / "api" / "openapi.yaml");
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(yaml.body, text.str());
  const json api = Json(Get("/api"));
  EXPECT_EQ(api["openapi"], "3.0.3");
  EXPECT_TRUE(api["paths"].contains("/v1/locate"));
}

TEST_F(ServerTest, CollectionsAreTheLevelsWithTheirExtent) {
  const json body = Json(Get("/collections"));
  ASSERT_EQ(body["collections"].size(), 3u);
  EXPECT_EQ(body["collections"][0]["id"], "district");
  EXPECT_EQ(body["collections"][1]["title"], "网格");
  EXPECT_EQ(body["collections"][2]["id"], "unit");
  const json bbox = body["collections"][2]["extent"]["spatial"]["bbox"][0];
  EXPECT_DOUBLE_EQ(bbox[0], 119.00);
  EXPECT_DOUBLE_EQ(bbox[3], 25.42);
  const json one = Json(Get("/collections/grid"));
  EXPECT_EQ(one["id"], "grid");
  auto missing = Get("/collections/village");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(Json(missing)["error"]["message"].get<std::string>(),
              HasSubstr("district, grid, unit"));
}

TEST_F(ServerTest, ItemsAreGeoJsonFeaturesWithCodesAsIds) {
  auto response = Get("/collections/unit/items");
  ASSERT_EQ(response.status, 200);
  EXPECT_THAT(response.header("content-type"), HasSubstr("application/geo+json"));
  const json body = Json(response);
  EXPECT_EQ(body["type"], "FeatureCollection");
  EXPECT_EQ(body["numberMatched"], 4);
  EXPECT_EQ(body["numberReturned"], 4);
  const json& first = body["features"][0];
  EXPECT_EQ(first["id"], "350302001001");
  EXPECT_EQ(first["properties"]["name"], "第1单元");
  EXPECT_EQ(first["properties"]["parent"], "350302001");
  EXPECT_EQ(first["properties"]["level"], "unit");
  EXPECT_EQ(first["properties"]["households"], "31");
  EXPECT_EQ(first["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(first["geometry"]["coordinates"][0][0][1],
            json::parse("[119.02, 25.40]"));  // exact doubles, round-tripped
  const json top = Json(Get("/collections/district/items"));
  EXPECT_TRUE(top["features"][0]["properties"]["parent"].is_null());
}

TEST_F(ServerTest, ItemsPageWithNextAndPrevLinksAndSeeEveryRegionOnce) {
  std::vector<std::string> seen;
  std::string next = "/collections/unit/items?limit=3";
  int pages = 0;
  std::string prev_of_second;
  while (!next.empty() && pages < 10) {
    const json body = Json(Get(next));
    EXPECT_EQ(body["numberMatched"], 4);
    for (const json& f : body["features"]) seen.push_back(f["id"]);
    next.clear();
    for (const json& link : body["links"]) {
      const std::string href = link["href"];
      const std::string path = href.substr(href.find('/', std::string("http://").size()));
      if (link["rel"] == "next") next = path;
      if (link["rel"] == "prev" && pages == 1) prev_of_second = path;
    }
    ++pages;
  }
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(seen, ElementsAre("350302001001", "350302001002", "350302002001", "350302002002"));
  EXPECT_EQ(prev_of_second, "/collections/unit/items?limit=3");
  // Past the end: an empty page, still with numberMatched.
  const json empty = Json(Get("/collections/unit/items?offset=10"));
  EXPECT_EQ(empty["numberReturned"], 0);
  EXPECT_EQ(empty["numberMatched"], 4);
  // A limit above the maximum is lowered to it; a limit of 0 or junk is refused.
  ServerOptions options;
  options.items_max_limit = 2;
  options.items_default_limit = 1;
  Start(options);
  EXPECT_EQ(Json(Get("/collections/unit/items"))["numberReturned"], 1);
  EXPECT_EQ(Json(Get("/collections/unit/items?limit=1000"))["numberReturned"], 2);
  EXPECT_EQ(ErrorCode(Get("/collections/unit/items?limit=0")), "invalid_argument");
  EXPECT_EQ(ErrorCode(Get("/collections/unit/items?limit=-1")), "invalid_argument");
  EXPECT_EQ(ErrorCode(Get("/collections/unit/items?offset=x")), "invalid_argument");
}

TEST_F(ServerTest, BboxSelectsRegionsWhoseGeometryMeetsTheBox) {
  auto ids = [&](const std::string& target) {
    std::vector<std::string> out;
    const json body = Json(Get(target));
    for (const json& f : body["features"]) out.push_back(f["id"]);
    EXPECT_EQ(body["numberMatched"], out.size());
    return out;
  };
  EXPECT_THAT(ids("/collections/unit/items?bbox=119.001,25.401,119.002,25.402"),
              ElementsAre("350302001001"));
  // Touching a shared edge counts for both sides.
  EXPECT_THAT(ids("/collections/unit/items?bbox=119.02,25.401,119.02,25.402"),
              ElementsAre("350302001001", "350302002001"));
  // Inside the gap: the L-shaped unit's box covers it but its geometry does not.
  EXPECT_THAT(ids("/collections/unit/items?bbox=119.026,25.412,119.029,25.418"), ElementsAre());
  EXPECT_THAT(ids("/collections/grid/items?bbox=119.026,25.412,119.029,25.418"),
              ElementsAre("350302002"));
  EXPECT_THAT(ids("/collections/unit/items?bbox=100,20,110,21"), ElementsAre());
  const json page = Json(Get("/collections/unit/items?bbox=-180,-90,180,90&limit=2"));
  EXPECT_EQ(page["numberMatched"], 4);
  EXPECT_EQ(page["numberReturned"], 2);
  // 3D form, heights ignored.
  EXPECT_THAT(ids("/collections/unit/items?bbox=119.001,25.401,0,119.002,25.402,10"),
              ElementsAre("350302001001"));
  for (const std::string bad :
       {"1,2,3", "a,b,c,d", "119.1,25,119.0,26", "0,-91,1,1", "nan,0,1,1", "1,2,3,4,5"}) {
    EXPECT_EQ(ErrorCode(Get("/collections/unit/items?bbox=" + bad)), "invalid_argument") << bad;
  }
  EXPECT_EQ(ErrorCode(Get("/collections/unit/items?bbox=1,2,3,4&color=red")), "invalid_argument");
}

TEST_F(ServerTest, OneItemByCode) {
  auto response = Get("/collections/grid/items/350302002");
  ASSERT_EQ(response.status, 200);
  const json body = Json(response);
  EXPECT_EQ(body["id"], "350302002");
  EXPECT_EQ(body["properties"]["name"], "第2网格");
  EXPECT_EQ(body["links"][0]["rel"], "self");
  EXPECT_EQ(Get("/collections/unit/items/350302002").status, 404) << "wrong level";
  EXPECT_EQ(ErrorCode(Get("/collections/unit/items/nope")), "not_found");
  EXPECT_EQ(Get("/collections/nope/items/350302002").status, 404);
}

// --- regions ---

TEST_F(ServerTest, RegionTellsItsParentChainChildrenAndAttributes) {
  const json unit = Json(Get("/v1/regions/350302002002"));
  EXPECT_EQ(unit["level"], "unit");
  EXPECT_EQ(unit["level_label"], "单元");
  EXPECT_EQ(unit["parent"], "350302002");
  ASSERT_EQ(unit["ancestors"].size(), 2u);
  EXPECT_EQ(unit["ancestors"][0]["code"], "350302");
  EXPECT_EQ(unit["ancestors"][0]["level"], "district");
  EXPECT_EQ(unit["ancestors"][1]["name"], "第2网格");
  EXPECT_TRUE(unit["children"].empty());
  EXPECT_TRUE(unit["children_level"].is_null());
  EXPECT_EQ(unit["attributes"]["households"], "19");
  EXPECT_EQ(unit["bbox"], json::parse("[119.02, 25.41, 119.025, 25.42]"));
  const json grid = Json(Get("/v1/regions/350302001"));
  EXPECT_EQ(grid["children"], json::parse(R"(["350302001001", "350302001002"])"));
  EXPECT_EQ(grid["children_level"], "unit");
  const json top = Json(Get("/v1/regions/350302"));
  EXPECT_TRUE(top["parent"].is_null());
  EXPECT_TRUE(top["ancestors"].empty());
  EXPECT_EQ(ErrorCode(Get("/v1/regions/999")), "not_found");
  EXPECT_EQ(ErrorCode(Get("/v1/regions/350302?x=1")), "invalid_argument");
}

// --- coverage ---

TEST_F(ServerTest, CoverageReportsTheGapAsJsonAndGeoJson) {
  auto response = Get("/v1/coverage");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("wangge-dataset-version"), live_->Get()->version);
  const json report = Json(response);
  EXPECT_EQ(report["schema"], "wangge.coverage-report/1");
  EXPECT_EQ(report["clean"], false);
  ASSERT_EQ(report["levels"].size(), 3u);
  EXPECT_EQ(report["levels"][1]["seamless"], true);
  EXPECT_EQ(report["levels"][2]["seamless"], false);
  ASSERT_GE(report["defects"].size(), 1u);
  const json& gap = report["defects"][0];
  EXPECT_EQ(gap["kind"], "gap");
  EXPECT_EQ(gap["parent"], "350302002");
  EXPECT_EQ(gap["geometry"]["type"], "MultiPolygon");
  const json geojson = Json(Get("/v1/coverage?f=geojson"));
  EXPECT_EQ(geojson["type"], "FeatureCollection");
  EXPECT_EQ(geojson["features"][0]["properties"]["kind"], "gap");
  EXPECT_EQ(Json(Get("/v1/coverage", "Accept: application/geo+json\r\n"))["type"],
            "FeatureCollection");
  EXPECT_EQ(ErrorCode(Get("/v1/coverage?f=kml")), "invalid_argument");
}

// --- locate: one point ---

TEST_F(ServerTest, LocateAnswersEveryLevelWithCodeAndName) {
  auto response = Get("/v1/locate?lon=119.01&lat=25.405");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("wangge-dataset-version"), live_->Get()->version);
  const json body = Json(response);
  EXPECT_EQ(body["version"], live_->Get()->version);
  EXPECT_EQ(body["crs"], "wgs84");
  EXPECT_EQ(body["status"], "inside");
  EXPECT_EQ(body["on_boundary"], false);
  EXPECT_EQ(body["levels"]["district"]["code"], "350302");
  EXPECT_EQ(body["levels"]["district"]["name"], "城厢区");
  EXPECT_EQ(body["levels"]["grid"]["code"], "350302001");
  EXPECT_EQ(body["levels"]["unit"]["code"], "350302001001");
  EXPECT_EQ(body["levels"]["unit"]["name"], "第1单元");
  EXPECT_EQ(body["point"], json::parse("[119.01, 25.405]"));
  EXPECT_FALSE(body.contains("nearest"));
}

TEST_F(ServerTest, LocateOnASharedEdgeGivesOneOwnerAndSaysSo) {
  // The shared edge x = 119.02 between the grids: the region east of it owns the point.
  const json body = Json(Get("/v1/locate?lon=119.02&lat=25.405"));
  EXPECT_EQ(body["status"], "boundary");
  EXPECT_EQ(body["on_boundary"], true);
  EXPECT_EQ(body["levels"]["grid"]["code"], "350302002");
  EXPECT_EQ(body["levels"]["unit"]["code"], "350302002001");
}

TEST_F(ServerTest, LocateInAGapAndOutside) {
  const json gap = Json(Get("/v1/locate?lon=119.027&lat=25.415"));
  EXPECT_EQ(gap["status"], "gap");
  EXPECT_EQ(gap["levels"]["grid"]["code"], "350302002");
  EXPECT_TRUE(gap["levels"]["unit"].is_null());
  const json near = Json(Get("/v1/locate?lon=119.0255&lat=25.415&max_distance_m=2000"));
  EXPECT_EQ(near["status"], "gap");
  EXPECT_EQ(near["nearest"]["code"], "350302002002");
  EXPECT_NEAR(near["nearest"]["distance_m"].get<double>(), 50.3, 1.0);
  EXPECT_EQ(near["levels"]["unit"]["code"], "350302002002");
  const json outside = Json(Get("/v1/locate?lon=120&lat=26"));
  EXPECT_EQ(outside["status"], "outside");
  EXPECT_TRUE(outside["levels"]["district"].is_null());
  EXPECT_TRUE(outside["levels"]["unit"].is_null());
}

TEST_F(ServerTest, LocateConvertsGcj02AndBd09) {
  const Point wgs{119.01, 25.405};
  const Point gcj = WgsToGcj02(wgs);
  const json body = Json(Get("/v1/locate?lon=" + std::to_string(gcj.x) +
                             "&lat=" + std::to_string(gcj.y) + "&crs=GCJ02"));
  EXPECT_EQ(body["crs"], "gcj02");
  EXPECT_EQ(body["levels"]["unit"]["code"], "350302001001");
  EXPECT_NEAR(body["point"][0].get<double>(), wgs.x, 1e-5);
  EXPECT_NEAR(body["point"][1].get<double>(), wgs.y, 1e-5);
  const Point bd = Gcj02ToBd09(gcj);
  const json baidu = Json(
      Get("/v1/locate?lon=" + std::to_string(bd.x) + "&lat=" + std::to_string(bd.y) + "&crs=bd09"));
  EXPECT_EQ(baidu["levels"]["unit"]["code"], "350302001001");
}

TEST_F(ServerTest, LocateRefusesBadParameters) {
  for (const std::string query :
       {"lat=25.4", "lon=119", "lon=abc&lat=25.4", "lon=NaN&lat=25.4", "lon=inf&lat=25.4",
        "lon=1e999&lat=25.4", "lon=999&lat=25.4", "lon=119&lat=91", "lon=&lat=25.4",
        "lon=119.01&lat=25.405&crs=mars", "lon=119.01&lat=25.405&lng=1",
        "lon=119.01&lat=25.405&max_distance_m=-1", "lon=119.01&lat=25.405&max_distance_m=1e9",
        "lon=119.01&lat=25.405&crs=EPSG:999999", "lon=%zz&lat=1"}) {
    auto response = Get("/v1/locate?" + query);
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_EQ(ErrorCode(response), "invalid_argument") << query;
  }
}

// --- locate: batches ---

TEST_F(ServerTest, BatchJsonAnswersInOrderAndEchoesIds) {
  auto response = Post("/v1/locate?max_distance_m=0",
                       R"([[119.01, 25.405], {"id": "r-7", "lon": 119.02, "lat": 25.405},
                           {"lat": 26, "lon": 120, "id": 8, "note": {"x": [1, 2]}},
                           [119.027, 25.415, 12.5], {"id": null, "lon": 200, "lat": 0},
                           {"id": "\u6e2f\"q", "lon": 119.01, "lat": 25.415}])",
                       "application/json; charset=utf-8");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("wangge-dataset-version"), live_->Get()->version);
  const json body = Json(response);
  EXPECT_EQ(body["count"], 6);
  EXPECT_EQ(body["levels"], json::parse(R"(["district", "grid", "unit"])"));
  const json& r = body["results"];
  ASSERT_EQ(r.size(), 6u);
  EXPECT_FALSE(r[0].contains("id"));
  EXPECT_EQ(r[0]["levels"]["unit"]["code"], "350302001001");
  EXPECT_EQ(r[1]["id"], "r-7");
  EXPECT_EQ(r[1]["on_boundary"], true);
  EXPECT_EQ(r[2]["id"], 8);
  EXPECT_EQ(r[2]["status"], "outside");
  EXPECT_EQ(r[3]["status"], "gap");
  EXPECT_TRUE(r[4]["id"].is_null());
  EXPECT_EQ(r[4]["status"], "invalid");
  EXPECT_EQ(r[5]["id"], "港\"q");
  EXPECT_EQ(r[5]["levels"]["unit"]["code"], "350302001002");
}

TEST_F(ServerTest, BatchAnswersMatchSinglePointAnswers) {
  std::string body = "[";
  std::vector<std::pair<double, double>> points;
  for (int i = 0; i <= 100; ++i) {
    for (int j = 0; j <= 60; ++j) {
      points.emplace_back(118.999 + 0.00042 * i, 25.399 + 0.00037 * j);
    }
  }
  for (size_t i = 0; i < points.size(); ++i) {
    body += (i ? "," : "") + json::array({points[i].first, points[i].second}).dump();
  }
  body += "]";
  const json batch = Json(Post("/v1/locate", body, "application/json"));
  ASSERT_EQ(batch["results"].size(), points.size());
  HttpClient client(server_->port());
  for (size_t i = 0; i < points.size(); i += 37) {
    const json one = json::parse(client
                                     .Get("/v1/locate?lon=" + json(points[i].first).dump() +
                                          "&lat=" + json(points[i].second).dump())
                                     .body);
    EXPECT_EQ(batch["results"][i]["status"], one["status"]) << i;
    EXPECT_EQ(batch["results"][i]["levels"], one["levels"]) << i;
  }
}

TEST_F(ServerTest, BatchGeoJsonComesBackWithTheLevelsAsProperties) {
  auto response = Post("/v1/locate",
                       R"({"type": "FeatureCollection", "name": "reports", "features": [
                            {"type": "Feature", "id": 1, "properties": {"kind": "litter"},
                             "geometry": {"type": "Point", "coordinates": [119.01, 25.405]}},
                            {"type": "Feature", "properties": null,
                             "geometry": {"type": "Point", "coordinates": [120, 26, 3]}},
                            {"type": "Feature", "geometry": null}]})",
                       "application/geo+json");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(response.header("content-type"), HasSubstr("application/geo+json"));
  const json body = Json(response);
  EXPECT_EQ(body["type"], "FeatureCollection");
  EXPECT_EQ(body["name"], "reports");
  EXPECT_EQ(body["version"], live_->Get()->version);
  ASSERT_EQ(body["features"].size(), 3u);
  const json& first = body["features"][0];
  EXPECT_EQ(first["id"], 1);
  EXPECT_EQ(first["geometry"]["coordinates"], json::parse("[119.01, 25.405]"));
  EXPECT_EQ(first["properties"]["kind"], "litter");
  EXPECT_EQ(first["properties"]["status"], "inside");
  EXPECT_EQ(first["properties"]["on_boundary"], false);
  EXPECT_EQ(first["properties"]["unit"], "350302001001");
  EXPECT_EQ(first["properties"]["unit_name"], "第1单元");
  EXPECT_EQ(first["properties"]["district"], "350302");
  EXPECT_EQ(body["features"][1]["properties"]["status"], "outside");
  EXPECT_TRUE(body["features"][1]["properties"]["unit"].is_null());
  EXPECT_EQ(body["features"][2]["properties"]["status"], "invalid");
  // application/json with an object body is GeoJSON too.
  EXPECT_EQ(Json(Post("/v1/locate", R"({"type":"FeatureCollection","features":[]})",
                      "application/json"))["features"]
                .size(),
            0u);
}

TEST_F(ServerTest, BatchCsvHasTheColumnsOfWanggeLocate) {
  auto response = Post("/v1/locate",
                       "lat,id,lon,note\n25.405,a,119.01,x\n25.405,\"b,1\",119.02,y\r\n\n"
                       "26,c,120,z\n25.415,d,119.027,w\n25.4,e,nan,v\n",
                       "text/csv");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(response.header("content-type"), HasSubstr("text/csv"));
  EXPECT_EQ(response.body,
            "id,status,on_boundary,district,grid,unit\n"
            "a,inside,false,350302,350302001,350302001001\n"
            "\"b,1\",boundary,true,350302,350302002,350302002001\n"
            "c,outside,false,,,\n"
            "d,gap,false,350302,350302002,\n"
            "e,invalid,false,,,\n");
  // Without a header the columns are id,lon,lat; with max_distance_m a distance_m column.
  const std::string with_distance =
      Post("/v1/locate?max_distance_m=100", "x,119.0255,25.415\ny,119.01,25.405", "text/csv").body;
  EXPECT_THAT(with_distance, StartsWith("id,status,on_boundary,district,grid,unit,distance_m\n"
                                        "x,gap,false,350302,350302002,350302002002,50."));
  EXPECT_THAT(with_distance,
              ::testing::EndsWith("\ny,inside,false,350302,350302001,350302001001,0\n"));
}

TEST_F(ServerTest, BatchesAreConvertedFromTheirCrs) {
  const Point gcj = WgsToGcj02({119.01, 25.405});
  const json body =
      Json(Post("/v1/locate?crs=gcj02", json::array({json::array({gcj.x, gcj.y})}).dump(),
                "application/json"));
  EXPECT_EQ(body["crs"], "gcj02");
  EXPECT_EQ(body["results"][0]["levels"]["unit"]["code"], "350302001001");
}

TEST_F(ServerTest, EmptyBatchesAreAnswered) {
  EXPECT_EQ(Json(Post("/v1/locate", "[]", "application/json"))["count"], 0);
  EXPECT_EQ(Post("/v1/locate", "", "text/csv").body, "id,status,on_boundary,district,grid,unit\n");
}

TEST_F(ServerTest, BatchBodyErrorsAreJson400Or422Or415) {
  struct Case {
    std::string body;
    std::string content_type;
    int status;
  };
  const std::vector<Case> cases = {
      {"[[119.01, 25.405]", "application/json", 400},
      {"[[119.01, 25.405]] x", "application/json", 400},
      {"[NaN, 1]", "application/json", 400},
      {"[[NaN, 1]]", "application/json", 400},
      {"[[Infinity, 1]]", "application/json", 400},
      {"[[1, 2,]]", "application/json", 400},
      {"[[01, 2]]", "application/json", 400},
      {"[{\"lon\": 1, \"lat\": 2, \"id\": \"a\x01\"}]", "application/json", 400},
      {"[{\"lon\": 1, \"lat\": 2, \"id\": \"\xff\"}]", "application/json", 400},
      {std::string(100, '[') + std::string(100, ']'), "application/json", 400},
      {"[[\"119.01\", 25.405]]", "application/json", 422},
      {"[[119.01]]", "application/json", 422},
      {"[[1, 2, 3, 4]]", "application/json", 422},
      {"[{\"lon\": 119.01}]", "application/json", 422},
      {"[{\"lon\": true, \"lat\": 1}]", "application/json", 422},
      {"[{\"lon\": 1, \"lat\": 2, \"id\": {}}]", "application/json", 422},
      {"[\"119.01,25.405\"]", "application/json", 422},
      {"42", "application/json", 422},
      {"{\"type\": \"Feature\"}", "application/json", 422},
      {"{\"type\": \"FeatureCollection\", \"features\": {}}", "application/json", 422},
      {"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"geometry\": "
       "{\"type\": \"LineString\", \"coordinates\": [[0, 0], [1, 1]]}}]}",
       "application/geo+json", 422},
      {"id,lon,lat\na,\"119.01,25.405\n", "text/csv", 400},
      {"id,lon,lat\na,abc,25.405\n", "text/csv", 422},
      {"id,lon,lat\na,119.01\n", "text/csv", 422},
      {"a,1,2,3\n", "text/csv", 422},
      {"id,lon\na,1\n", "text/csv", 422},
      {"[[119.01, 25.405]]", "text/plain", 415},
      {"[[119.01, 25.405]]", "application/x-www-form-urlencoded", 415},
  };
  for (const Case& c : cases) {
    auto response = Post("/v1/locate", c.body, c.content_type);
    EXPECT_EQ(response.status, c.status) << c.body;
    const std::string code = ErrorCode(response);
    EXPECT_EQ(code, c.status == 400   ? "invalid_argument"
                    : c.status == 422 ? "data_error"
                                      : "unsupported_media_type")
        << c.body;
  }
  HttpClient client(server_->port());
  auto no_type = client.Request("POST", "/v1/locate", "[[1,2]]");
  EXPECT_EQ(no_type.status, 415);
  auto message = Json(Post("/v1/locate", "[[1,2],[3,\"4\"]]", "application/json"));
  EXPECT_THAT(message["error"]["message"].get<std::string>(), HasSubstr("point 1"));
  message = Json(Post("/v1/locate", "id,lon,lat\na,1,2\nb,x,2\n", "text/csv"));
  EXPECT_THAT(message["error"]["message"].get<std::string>(), HasSubstr("line 3"));
}

TEST_F(ServerTest, LargeBatchIsStreamedInChunksAndComplete) {
  std::string csv;
  const int n = 200'000;
  csv.reserve(static_cast<size_t>(n) * 24);
  for (int i = 0; i < n; ++i) {
    csv += std::to_string(i) + (i % 2 ? ",119.01,25.405\n" : ",119.03,25.405\n");
  }
  auto response = Post("/v1/locate", csv, "text/csv");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("transfer-encoding"), "chunked");
  EXPECT_EQ(std::count(response.body.begin(), response.body.end(), '\n'), n + 1);
  EXPECT_THAT(response.body, HasSubstr("\n199999,inside,false,350302,350302001,350302001001\n"));
  EXPECT_THAT(response.body, HasSubstr("\n0,inside,false,350302,350302002,350302002001\n"));
}

// A body big enough for the handler to collect itself, arriving in pieces: read whole, answered,
// and the connection goes on to the next request, pipelined right behind it. The client reads
// nothing until both are sent, so the first answer (about 8 MB) waits in the server's queue and
// the second must queue behind it, not overtake it (the client's small receive window keeps the
// kernel from taking the first answer whole).
TEST_F(ServerTest, ALargeBodyArrivingInPiecesIsReadWholeAndTheConnectionGoesOn) {
  std::string csv = "id,lon,lat\n";
  const int n = 150'000;
  for (int i = 0; i < n; ++i) csv += std::to_string(i) + ",119.01,25.405\n";
  ASSERT_GT(csv.size(), size_t{200'000});
  RawConnection raw(server_->port(), 10'000, /*receive_buffer_bytes=*/64 << 10);
  ASSERT_TRUE(
      raw.Send("POST /v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
               "Content-Length: " +
               std::to_string(csv.size()) + "\r\n\r\n" + csv.substr(0, 1000)));
  for (size_t at = 1000; at < csv.size(); at += 400'000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(raw.Send(std::string_view(csv).substr(at, 400'000)));
  }
  ASSERT_TRUE(raw.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string answers = raw.ReadAll();
  EXPECT_THAT(answers, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(answers, HasSubstr("\n0,inside,false,350302,350302001,350302001001\n"));
  EXPECT_THAT(answers, HasSubstr("\n149999,inside,false,350302,350302001,350302001001\n"));
  const size_t second = answers.find("HTTP/1.1 200", 1);
  ASSERT_NE(second, std::string::npos) << "no answer to the request after the large one";
  // The first answer's chunked body, unframed: the header line and one row per point.
  std::string rows;
  for (size_t at = answers.find("\r\n\r\n") + 4; at < second;) {
    const size_t line_end = answers.find("\r\n", at);
    const size_t size = std::stoul(answers.substr(at, line_end - at), nullptr, 16);
    if (size == 0) break;
    rows += answers.substr(line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
  EXPECT_EQ(std::count(rows.begin(), rows.end(), '\n'), n + 1);
  EXPECT_THAT(answers.substr(second), HasSubstr("\r\n\r\n{\"status\":\"ok\""));
}

}  // namespace
}  // namespace wangge::server
