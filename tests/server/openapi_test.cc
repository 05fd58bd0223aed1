// The server keeps api/openapi.yaml true: every (path, method, status) the document lists is
// exercised over real HTTP, every answer's status is documented for its operation, and every
// JSON body validates against the documented schema.
#include "server/openapi.h"

#include <map>
#include <set>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/schema_check.h"
#include "server/server.h"
#include "server/server_fixture.h"
#include "server/store_fixture.h"
#include "support/http_client.h"

namespace wangge::server {
namespace {

using json = nlohmann::json;
using testing::CheckSchema;
using testing::HttpClient;
using testing::HttpResponse;
using testing::ResolveRef;

// Returns the path template of `spec` that matches `path`, or "".
std::string MatchTemplate(const json& spec, const std::string& path) {
  auto split = [](const std::string& p) {
    std::vector<std::string> parts;
    size_t start = 1;
    while (start <= p.size()) {
      const size_t slash = p.find('/', start);
      parts.push_back(
          p.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return parts;
  };
  const std::vector<std::string> want = split(path);
  for (const auto& [tpl, item] : spec["paths"].items()) {
    const std::vector<std::string> have = split(tpl);
    if (have.size() != want.size()) continue;
    bool match = true;
    for (size_t i = 0; i < have.size() && match; ++i) {
      match = (!have[i].empty() && have[i][0] == '{') ? !want[i].empty() : have[i] == want[i];
    }
    if (match) return tpl;
  }
  return "";
}

void CollectRefs(const json& node, std::vector<std::string>* refs) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string()) refs->push_back(value);
      CollectRefs(value, refs);
    }
  } else if (node.is_array()) {
    for (const json& item : node) CollectRefs(item, refs);
  }
}

TEST(OpenApi, EveryReferenceResolves) {
  const json& spec = OpenApiJson();
  EXPECT_EQ(spec["openapi"], "3.0.3");
  std::vector<std::string> refs;
  CollectRefs(spec, &refs);
  EXPECT_GT(refs.size(), 20u);
  for (const std::string& ref : refs) EXPECT_FALSE(ResolveRef(spec, ref).is_null()) << ref;
}

TEST(SchemaCheck, FindsWhatDoesNotConform) {
  const json& spec = OpenApiJson();
  const json& answer = spec["components"]["schemas"]["LocateAnswer"];
  const json good = json::parse(R"({"version": "v", "crs": "wgs84", "point": [1, 2],
      "status": "gap", "on_boundary": false, "levels": {"unit": null, "grid": {"code": "g",
      "name": "n"}}, "nearest": {"code": "u", "distance_m": 3.5}})");
  EXPECT_TRUE(CheckSchema(spec, answer, good).empty());
  json bad = good;
  bad["status"] = "elsewhere";
  EXPECT_EQ(CheckSchema(spec, answer, bad).size(), 1u);
  bad = good;
  bad["levels"]["grid"] = {{"code", 7}, {"name", "n"}};
  EXPECT_EQ(CheckSchema(spec, answer, bad).size(), 1u);
  bad = good;
  bad.erase("point");
  EXPECT_EQ(CheckSchema(spec, answer, bad).size(), 1u);
  bad = good;
  bad["point"] = json::array({1, 2, 3});
  EXPECT_EQ(CheckSchema(spec, answer, bad).size(), 1u);
  const json& error = spec["components"]["schemas"]["Error"];
  EXPECT_FALSE(CheckSchema(spec, error, json::parse(R"({"error": {"code": "x"}})")).empty());
  EXPECT_FALSE(CheckSchema(spec, error, json::parse(R"({"error": {"code": "x", "message": "m",
      "detail": "leak"}})"))
                   .empty());
}

class OpenApiContract : public ::testing::Test {
 protected:
  void SetUp() override {
    live_ = testing::GridSnapshot();
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.access_log = "off";
    options.max_body_bytes = 64 << 10;
    Result<NewApiKey> key = MakeApiKey("contract.planner", ApiRole::kPlanner);
    ASSERT_TRUE(key.ok());
    options.api_keys.push_back(key->entry);
    auth_ = "Authorization: Bearer " + key->secret + "\r\n";
    auto server = Server::Start(options, live_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  // Sends a request and checks its answer against the document.
  void Exchange(const std::string& method, const std::string& target, int expected_status,
                const std::string& body = "", const std::string& content_type = "") {
    SCOPED_TRACE(method + " " + target);
    const json& spec = OpenApiJson();
    HttpClient client(port_ != 0 ? port_ : server_->port());
    const HttpResponse response = client.Request(
        method, target, body,
        auth_ + (content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n"));
    ASSERT_EQ(response.status, expected_status) << response.body.substr(0, 300);
    const std::string path = target.substr(0, target.find('?'));
    const std::string tpl = MatchTemplate(spec, path);
    ASSERT_FALSE(tpl.empty()) << "no path in the document matches " << path;
    std::string lower_method = method;
    for (char& c : lower_method) c = static_cast<char>(std::tolower(c));
    const json& operation = spec["paths"][tpl][lower_method];
    ASSERT_TRUE(operation.is_object()) << method << " " << tpl << " is not documented";
    const std::string status = std::to_string(response.status);
    ASSERT_TRUE(operation["responses"].contains(status))
        << "status " << status << " is not documented for " << method << " " << tpl;
    covered_.insert({tpl, lower_method, status});
    json documented = operation["responses"][status];
    if (documented.contains("$ref")) documented = ResolveRef(spec, documented["$ref"]);
    const std::string type = response.header("content-type");
    if (!documented.contains("content")) {  // e.g. 204
      EXPECT_TRUE(response.body.empty()) << response.body.substr(0, 200);
      return;
    }
    const json& content = documented["content"];
    json media;
    for (const auto& [name, value] : content.items()) {
      if (name == type || name == type.substr(0, type.find(';'))) media = value;
    }
    ASSERT_TRUE(media.is_object())
        << "content type " << type << " is not documented; have " << content.dump();
    if (type.find("json") == std::string::npos) return;  // text: schema type string
    const json parsed = json::parse(response.body, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << "not JSON: " << response.body.substr(0, 200);
    const std::vector<std::string> problems = CheckSchema(spec, media["schema"], parsed);
    EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems[0]
                                  << "\nbody: " << response.body.substr(0, 500);
  }

  std::shared_ptr<LiveSnapshot> live_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;  // when set, the server to talk to instead of server_
  std::string auth_;   // the planner key's header, sent with every request
  std::set<std::tuple<std::string, std::string, std::string>> covered_;
};

TEST_F(OpenApiContract, EveryDocumentedStatusIsExercisedAndEveryAnswerConforms) {
  Exchange("GET", "/", 200);
  Exchange("GET", "/?f=xml", 400);
  Exchange("GET", "/api", 200);
  Exchange("GET", "/api?f=yaml", 200);
  Exchange("GET", "/api?f=pdf", 400);
  Exchange("GET", "/conformance", 200);
  Exchange("GET", "/conformance?f=html", 400);
  Exchange("GET", "/collections", 200);
  Exchange("GET", "/collections?x=1", 400);
  Exchange("GET", "/collections/unit", 200);
  Exchange("GET", "/collections/unit?f=x", 400);
  Exchange("GET", "/collections/village", 404);
  Exchange("GET", "/collections/unit/items", 200);
  Exchange("GET", "/collections/district/items", 200);
  Exchange("GET", "/collections/unit/items?bbox=119.001,25.401,119.03,25.402&limit=1&offset=1",
           200);
  Exchange("GET", "/collections/unit/items?limit=0", 400);
  Exchange("GET", "/collections/village/items", 404);
  Exchange("GET", "/collections/unit/items/350302001001", 200);
  Exchange("GET", "/collections/unit/items/350302001001?f=x", 400);
  Exchange("GET", "/collections/unit/items/nope", 404);
  Exchange("GET", "/v1/locate?lon=119.01&lat=25.405", 200);
  Exchange("GET", "/v1/locate?lon=119.0255&lat=25.415&max_distance_m=500", 200);
  Exchange("GET", "/v1/locate?lon=120&lat=26&crs=gcj02", 200);
  Exchange("GET", "/v1/locate?lon=x&lat=1", 400);
  Exchange("POST", "/v1/locate", 200,
           R"([[119.01,25.405],{"id":"a","lon":119.02,"lat":25.405},{"id":3,"lon":0,"lat":0},
               {"id":null,"lon":119.0255,"lat":25.415}])",
           "application/json");
  Exchange("POST", "/v1/locate?max_distance_m=100", 200, R"([[119.0255,25.415]])",
           "application/json");
  Exchange("POST", "/v1/locate", 200,
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":null,
               "geometry":{"type":"Point","coordinates":[119.01,25.405]}}]})",
           "application/geo+json");
  Exchange("POST", "/v1/locate", 200, "id,lon,lat\na,119.01,25.405\n", "text/csv");
  Exchange("POST", "/v1/locate", 400, "[[1,2]", "application/json");
  Exchange("POST", "/v1/locate", 413, "[" + std::string(70'000, ' ') + "]", "application/json");
  Exchange("POST", "/v1/locate", 415, "[[1,2]]", "text/plain");
  Exchange("POST", "/v1/locate", 422, R"([["1",2]])", "application/json");
  Exchange("GET", "/v1/regions/350302001", 200);
  Exchange("GET", "/v1/regions/350302", 200);
  Exchange("GET", "/v1/regions/350302001001?x=1", 400);
  Exchange("GET", "/v1/regions/nope", 404);
  Exchange("GET", "/v1/coverage", 200);
  Exchange("GET", "/v1/coverage?f=geojson", 200);
  Exchange("GET", "/v1/coverage?f=kml", 400);
  Exchange("GET", "/healthz", 200);
  Exchange("GET", "/readyz", 200);
  Exchange("GET", "/metrics", 200);
  Exchange("GET", "/metrics?x=1", 400);
  // Drafts and versions: the server above has no store ...
  Exchange("GET", "/v1/drafts", 404);
  Exchange("POST", "/v1/drafts", 404, "x", "application/geopackage+sqlite3");
  Exchange("GET", "/v1/versions", 404);
  Exchange("GET", "/v1/locate?lon=119.01&lat=25.405&at=2026-03-01", 404);
  {
    // ... this one has, first empty, then with versions.
    ServerOptions options;
    options.max_body_bytes = 64 << 10;
    options.max_upload_bytes = 1 << 20;
    testing::StoreServer store("contract", options);
    ASSERT_NE(store.server(), nullptr);
    const std::string main_auth = auth_;
    port_ = store.port();
    auth_ = store.auth();
    const std::string gpkg = "application/geopackage+sqlite3";
    Exchange("GET", "/readyz", 503);
    Exchange("GET", "/v1/locate?lon=119.01&lat=25.41", 503);
    Exchange("GET", "/v1/versions", 200);
    Exchange("GET", "/v1/versions?x=1", 400);
    Exchange("GET", "/v1/drafts", 200);
    Exchange("GET", "/v1/drafts?x=1", 400);
    Exchange("POST", "/v1/drafts", 415, "x", "text/plain");
    Exchange("POST", "/v1/drafts", 400, "", gpkg);
    Exchange("POST", "/v1/drafts", 422, "not a geopackage", gpkg);
    Exchange("POST", "/v1/drafts", 413, std::string(2 << 20, 'x'), gpkg);
    HttpClient client(port_);
    const HttpResponse clean =
        client.Request("POST", "/v1/drafts?message=m", testing::VersionedGeoPackage(3),
                       auth_ + "Content-Type: " + gpkg + "\r\n");
    ASSERT_EQ(clean.status, 201);
    const std::string clean_id = json::parse(clean.body)["id"];
    const HttpResponse overlap =
        client.Request("POST", "/v1/drafts", testing::VersionedGeoPackage(4, true),
                       auth_ + "Content-Type: " + gpkg + "\r\n");
    ASSERT_EQ(overlap.status, 201);
    const std::string overlap_id = json::parse(overlap.body)["id"];
    Exchange("POST", "/v1/drafts", 201, testing::VersionedGeoPackage(5), gpkg);
    Exchange("GET", "/v1/drafts", 200);
    Exchange("GET", "/v1/drafts/" + clean_id, 200);
    Exchange("GET", "/v1/drafts/" + clean_id + "?x=1", 400);
    Exchange("GET", "/v1/drafts/nope", 404);
    Exchange("GET", "/v1/drafts/" + overlap_id + "/coverage", 200);
    Exchange("GET", "/v1/drafts/" + overlap_id + "/coverage?f=geojson", 200);
    Exchange("GET", "/v1/drafts/" + overlap_id + "/coverage?f=kml", 400);
    Exchange("GET", "/v1/drafts/nope/coverage", 404);
    Exchange("GET", "/v1/drafts/" + clean_id + "/diff", 200);  // against the empty snapshot
    Exchange("POST", "/v1/drafts/" + overlap_id + "/publish", 409, "{}", "application/json");
    Exchange("POST", "/v1/drafts/" + overlap_id + "/publish", 422, R"({"force":true})",
             "application/json");
    Exchange("POST", "/v1/drafts/" + overlap_id + "/publish", 400, "{", "application/json");
    Exchange("POST", "/v1/drafts/nope/publish", 404, "{}", "application/json");
    Exchange("POST", "/v1/drafts/" + overlap_id + "/publish", 202,
             R"({"force":true,"reason":"r","message":"m"})", "application/json");
    Exchange("POST", "/v1/drafts/" + clean_id + "/publish", 202, "", "");
    ASSERT_TRUE(store.publisher().WaitServed("2", std::chrono::seconds(10)));
    Exchange("GET", "/readyz", 200);
    Exchange("GET", "/v1/versions", 200);
    const std::string fifth =
        json::parse(client.Request("GET", "/v1/drafts", "", auth_).body)["drafts"][0]["id"];
    Exchange("GET", "/v1/drafts/" + fifth + "/diff", 200);
    Exchange("GET", "/v1/drafts/" + fifth + "/diff?f=geojson", 200);
    Exchange("GET", "/v1/drafts/" + fifth + "/diff?f=x", 400);
    Exchange("GET", "/v1/drafts/nope/diff", 404);
    Exchange("POST", "/v1/drafts/" + fifth + "/impact", 200,
             R"([{"id":"a","lon":119.0135,"lat":25.41},[119.0145,25.41],[119.02,25.41]])",
             "application/json");
    Exchange("POST", "/v1/drafts/" + fifth + "/impact", 400, "[[1,2]", "application/json");
    Exchange("POST", "/v1/drafts/" + fifth + "/impact", 415, "[[1,2]]", "text/plain");
    Exchange("POST", "/v1/drafts/" + fifth + "/impact", 422, R"([["1",2]])", "application/json");
    Exchange("POST", "/v1/drafts/nope/impact", 404, "[[1,2]]", "application/json");
    Exchange("GET", "/v1/versions/1", 200);
    Exchange("GET", "/v1/versions/1?x=1", 400);
    Exchange("GET", "/v1/versions/9", 404);
    Exchange("GET", "/v1/locate?lon=119.01&lat=25.41&at=2000-01-01", 404);
    Exchange("GET", "/v1/locate?lon=119.01&lat=25.41&at=2100-01-01", 200);
    Exchange("POST", "/v1/locate?at=2000-01-01", 404, "[[119.01,25.41]]", "application/json");
    Exchange("POST", "/v1/versions/2/rollback", 409, "", "");
    Exchange("POST", "/v1/versions/9/rollback", 404, "", "");
    Exchange("POST", "/v1/versions/1/rollback", 400, "[", "application/json");
    Exchange("POST", "/v1/versions/1/rollback", 202, R"({"message":"back"})", "application/json");
    Exchange("DELETE", "/v1/drafts/nope", 404);
    Exchange("DELETE", "/v1/drafts/" + fifth, 204);
    port_ = 0;
    auth_ = main_auth;
  }
  server_->Drain();
  Exchange("GET", "/readyz", 503);

  const json& spec = OpenApiJson();
  for (const auto& [tpl, item] : spec["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      for (const auto& [status, response] : operation["responses"].items()) {
        EXPECT_TRUE(covered_.count({tpl, method, status}))
            << method << " " << tpl << " " << status << " is documented but not exercised";
      }
    }
  }
}

TEST_F(OpenApiContract, ErrorsOutsideTheOperationsUseTheErrorSchema) {
  const json& spec = OpenApiJson();
  const json& error = spec["components"]["schemas"]["Error"];
  HttpClient client(server_->port());
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/nope"}, {"DELETE", "/v1/locate"}, {"PATCH", "/collections"}}) {
    const HttpResponse response = client.Request(method, target);
    EXPECT_TRUE(response.status == 404 || response.status == 405);
    const std::vector<std::string> problems = CheckSchema(spec, error, json::parse(response.body));
    EXPECT_TRUE(problems.empty()) << target << ": " << problems[0];
  }
}

}  // namespace
}  // namespace wangge::server
