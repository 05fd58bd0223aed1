// Drafts, publish, rollback, as-of answers and hot swap over real HTTP on 127.0.0.1 (issue 7).
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <cpl_vsi.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/as_of.h"
#include "server/server_fixture.h"
#include "server/store_fixture.h"
#include "server/version_helpers.h"
#include "support/http_client.h"
#include "support/test_support.h"

namespace wangge::server {
namespace {

using ::testing::HasSubstr;
using wangge::testing::HttpClient;
using wangge::testing::HttpResponse;
using wangge::testing::ProbeX;
using wangge::testing::StoreServer;
using wangge::testing::VersionedGeoPackage;
using namespace wangge::testing;  // version_helpers.h
using json = nlohmann::json;
using namespace std::chrono_literals;

TEST(AsOf, ParsesDatesAsTheStartOfTheDayInChinaStandardTime) {
  Result<StoreClock::time_point> day = ParseAsOf("2026-03-01");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(FormatStoreTime(*day), "2026-02-28T16:00:00.000000Z");
  EXPECT_EQ(FormatStoreTime(*ParseAsOf("2026-03-01T09:30")), "2026-03-01T01:30:00.000000Z");
  EXPECT_EQ(FormatStoreTime(*ParseAsOf("2026-03-01T09:30:15.25Z")), "2026-03-01T09:30:15.250000Z");
  EXPECT_EQ(FormatStoreTime(*ParseAsOf("2026-03-01 09:30:00-02:00")),
            "2026-03-01T11:30:00.000000Z");
  EXPECT_EQ(FormatStoreTime(*ParseAsOf("2026-03-01T00:00:00+08:00")),
            "2026-02-28T16:00:00.000000Z");
  for (const char* bad :
       {"", "2026", "2026-3-1", "2026-02-30", "2026-03-01T25:00", "2026-03-01T09:30+8",
        "2026-03-01Z", "yesterday", "2026-03-01T09:30:00.Z"}) {
    EXPECT_FALSE(ParseAsOf(bad).ok()) << bad;
  }
}

TEST(Versions, ServerWithoutStoreAnswers404NamingTheFlag) {
  auto live = testing::GridSnapshot();
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.access_log = "off";
  Result<NewApiKey> key = MakeApiKey("planner", ApiRole::kPlanner);
  ASSERT_TRUE(key.ok());
  options.api_keys.push_back(key->entry);
  const std::string auth = "Authorization: Bearer " + key->secret + "\r\n";
  auto server = Server::Start(options, live);
  ASSERT_TRUE(server.ok());
  const uint16_t port = (*server)->port();
  for (const std::string target : {"/v1/versions", "/v1/drafts", "/v1/drafts/x"}) {
    const HttpResponse r = Get(port, target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_THAT(r.body, HasSubstr("--store")) << target;
  }
  // A write is authorised first (401 without a key), then finds no store.
  EXPECT_EQ(Post(port, "/v1/drafts", "x", kGpkg).status, 401);
  HttpClient client(port);
  EXPECT_EQ(
      client.Request("POST", "/v1/drafts", "x", auth + "Content-Type: " + kGpkg + "\r\n").status,
      404);
  const HttpResponse as_of = Get(port, "/v1/locate?lon=119.01&lat=25.405&at=2026-03-01");
  EXPECT_EQ(as_of.status, 404);
  EXPECT_THAT(as_of.body, HasSubstr("--store"));
}

TEST(Versions, EmptyStoreIsNotReadyAndRefusesLocateAndAsOf) {
  StoreServer s("empty");
  ASSERT_NE(s.server(), nullptr);
  EXPECT_EQ(Get(s, "/readyz").status, 503);
  EXPECT_EQ(Get(s, LocateTarget(0)).status, 503);
  const HttpResponse as_of = Get(s, LocateTarget(0, "&at=2026-03-01"));
  EXPECT_EQ(as_of.status, 404);
  EXPECT_THAT(as_of.body, HasSubstr("no version"));
  const HttpResponse versions = Get(s, "/v1/versions");
  ASSERT_EQ(versions.status, 200);
  EXPECT_TRUE(Json(versions)["live"].is_null());
  EXPECT_TRUE(Json(versions)["versions"].empty());
}

TEST(Versions, DraftLifecycleAndRefusals) {
  StoreServer s("lifecycle");
  ASSERT_NE(s.server(), nullptr);
  // Unsupported type, empty and unreadable bodies.
  EXPECT_EQ(Post(s, "/v1/drafts", "x", "text/plain").status, 415);
  EXPECT_EQ(Post(s, "/v1/drafts", "", kGpkg).status, 400);
  EXPECT_EQ(Post(s, "/v1/drafts", "not a geopackage", kGpkg).status, 422);
  EXPECT_EQ(Post(s, "/v1/drafts?mesage=typo", VersionedGeoPackage(1), kGpkg).status, 400);

  const HttpResponse created =
      Post(s, "/v1/drafts?message=first&name=putian.gpkg", VersionedGeoPackage(3), kGpkg);
  ASSERT_EQ(created.status, 201) << created.body;
  const json draft = Json(created);
  const std::string id = draft["id"];
  EXPECT_EQ(draft["message"], "first");
  EXPECT_EQ(draft["source"], "putian.gpkg");
  EXPECT_EQ(draft["region_count"], 4);
  EXPECT_EQ(draft["coverage"]["errors"], 0);
  EXPECT_EQ(draft["publishable"], true);
  EXPECT_THAT(created.header("location"), HasSubstr("/v1/drafts/" + id));

  EXPECT_EQ(Json(Get(s, "/v1/drafts"))["drafts"].size(), 1u);
  EXPECT_EQ(Json(Get(s, "/v1/drafts/" + id))["id"], id);
  EXPECT_EQ(Get(s, "/v1/drafts/nope").status, 404);
  EXPECT_EQ(Get(s, "/v1/drafts/nope/coverage").status, 404);
  const HttpResponse coverage = Get(s, "/v1/drafts/" + id + "/coverage");
  ASSERT_EQ(coverage.status, 200);
  EXPECT_FALSE(Json(coverage).is_discarded());
  const HttpResponse geojson = Get(s, "/v1/drafts/" + id + "/coverage?f=geojson");
  ASSERT_EQ(geojson.status, 200);
  EXPECT_EQ(Json(geojson)["type"], "FeatureCollection");
  EXPECT_EQ(Get(s, "/v1/drafts/" + id + "/coverage?f=kml").status, 400);

  // Publishing an unknown draft, a malformed body.
  EXPECT_EQ(Post(s, "/v1/drafts/nope/publish", "{}", "application/json").status, 404);
  EXPECT_EQ(Post(s, "/v1/drafts/" + id + "/publish", "{", "application/json").status, 400);
  EXPECT_EQ(
      Post(s, "/v1/drafts/" + id + "/publish", R"({"force":"yes"})", "application/json").status,
      422);

  HttpClient client(s.port());
  EXPECT_EQ(client.Request("DELETE", "/v1/drafts/nope", "", s.auth()).status, 404);
  EXPECT_EQ(client.Request("DELETE", "/v1/drafts/" + id).status, 401);
  EXPECT_EQ(client.Request("DELETE", "/v1/drafts/" + id, "", s.auth()).status, 204);
  EXPECT_EQ(Get(s, "/v1/drafts/" + id).status, 404);
}

TEST(Versions, UploadsGeoJsonAndZip) {
  StoreServer s("formats");
  ASSERT_NE(s.server(), nullptr);
  // GeoJSON: a one-level dataset; the FeatureCollection's name names the level.
  const std::string feature_collection = R"({"type":"FeatureCollection","name":"grid",
    "features":[{"type":"Feature","properties":{"code":"350302001","parent":"","name":"g"},
    "geometry":{"type":"Polygon","coordinates":[[[119,25.4],[119.04,25.4],[119.04,25.42],
    [119,25.42],[119,25.4]]]}}]})";
  const HttpResponse geojson = Post(s, "/v1/drafts", feature_collection, "application/geo+json");
  ASSERT_EQ(geojson.status, 201) << geojson.body;
  EXPECT_EQ(Json(geojson)["region_count"], 1);

  // Zip: a GeoPackage inside, written through GDAL's /vsizip/.
  const std::string zip_path = (testing::Scratch() / "versioned-upload.zip").string();
  std::filesystem::remove(zip_path);
  const std::string gpkg = VersionedGeoPackage(2);
  VSILFILE* file = VSIFOpenL(("/vsizip/" + zip_path + "/putian/dataset.gpkg").c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(VSIFWriteL(gpkg.data(), 1, gpkg.size(), file), gpkg.size());
  VSIFCloseL(file);
  const HttpResponse zip =
      Post(s, "/v1/drafts", testing::ReadFileBytes(zip_path), "application/zip");
  ASSERT_EQ(zip.status, 201) << zip.body;
  EXPECT_EQ(Json(zip)["region_count"], 4);

  // Zip: GeoJSON files named after the levels.
  const std::string geojson_zip = (testing::Scratch() / "geojson-upload.zip").string();
  std::filesystem::remove(geojson_zip);
  VSILFILE* entry = VSIFOpenL(("/vsizip/" + geojson_zip + "/grid.geojson").c_str(), "wb");
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(VSIFWriteL(feature_collection.data(), 1, feature_collection.size(), entry),
            feature_collection.size());
  VSIFCloseL(entry);
  const HttpResponse files =
      Post(s, "/v1/drafts", testing::ReadFileBytes(geojson_zip), "application/zip");
  ASSERT_EQ(files.status, 201) << files.body;
  EXPECT_EQ(Json(files)["region_count"], 1);
}

TEST(Versions, UploadLimitIsItsOwn) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  options.max_upload_bytes = 1 << 20;
  StoreServer s("limit", options);
  ASSERT_NE(s.server(), nullptr);
  const std::string gpkg = VersionedGeoPackage(1);
  ASSERT_GT(gpkg.size(), 1024u);
  EXPECT_EQ(Post(s, "/v1/drafts", gpkg, kGpkg).status, 201);
  EXPECT_EQ(Post(s, "/v1/locate", std::string(2000, ' '), "application/json").status, 413);
  const HttpResponse big = Post(s, "/v1/drafts", std::string(2 << 20, 'x'), kGpkg);
  EXPECT_EQ(big.status, 413);
  EXPECT_THAT(big.body, HasSubstr("max_upload_bytes"));
  // Without a planner's key the body is held to max_body_bytes: no anonymous client can make the
  // server buffer an upload.
  HttpClient anonymous(s.port());
  const HttpResponse refused =
      anonymous.Request("POST", "/v1/drafts", gpkg, "Content-Type: " + std::string(kGpkg) + "\r\n");
  EXPECT_EQ(refused.status, 413);
  EXPECT_THAT(refused.body, HasSubstr("max_body_bytes"));
}

TEST(Versions, PublishSwitchesAnswersAndRollbackReturns) {
  StoreServer s("publish");
  ASSERT_NE(s.server(), nullptr);
  const std::string v1 = PublishVersion(s, 5);
  ASSERT_EQ(v1, "1");
  ASSERT_TRUE(s.publisher().WaitServed(v1, 10s));
  json answer = Json(Get(s, LocateTarget(4)));
  EXPECT_EQ(answer["version"], v1);
  EXPECT_EQ(answer["levels"]["unit"]["code"], TruthUnit(5, 4));
  EXPECT_EQ(answer["levels"]["unit"]["name"], TruthName(5, 4));
  EXPECT_EQ(Get(s, "/readyz").status, 200);

  const std::string v2 = PublishVersion(s, 3);
  EXPECT_EQ(Json(Get(s, "/v1/versions/" + v2))["live"], true);
  ASSERT_TRUE(s.publisher().WaitServed(v2, 10s));
  answer = Json(Get(s, LocateTarget(4)));
  EXPECT_EQ(answer["version"], v2);
  EXPECT_EQ(answer["levels"]["unit"]["code"], TruthUnit(3, 4));

  const json versions = Json(Get(s, "/v1/versions"));
  EXPECT_EQ(versions["live"], v2);
  EXPECT_EQ(versions["served"], v2);
  EXPECT_EQ(versions["versions"].size(), 2u);
  EXPECT_EQ(versions["history"].size(), 2u);
  EXPECT_EQ(versions["history"][1]["message"], "publish v3");
  const json one = Json(Get(s, "/v1/versions/" + v1));
  EXPECT_EQ(one["live"], false);
  EXPECT_EQ(Get(s, "/v1/versions/99").status, 404);

  // Rollback: to the live one is refused, to an unknown one is 404, to v1 swaps back.
  EXPECT_EQ(Post(s, "/v1/versions/" + v2 + "/rollback", "", "").status, 409);
  EXPECT_EQ(Post(s, "/v1/versions/99/rollback", "", "").status, 404);
  const HttpResponse rolled = Post(s, "/v1/versions/" + v1 + "/rollback",
                                   R"({"message":"v2 was wrong"})", "application/json");
  ASSERT_EQ(rolled.status, 202) << rolled.body;
  ASSERT_TRUE(s.publisher().WaitServed(v1, 10s));
  answer = Json(Get(s, LocateTarget(4)));
  EXPECT_EQ(answer["version"], v1);
  EXPECT_EQ(answer["levels"]["unit"]["code"], TruthUnit(5, 4));
  const json history = Json(Get(s, "/v1/versions"))["history"];
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[2]["kind"], "rollback");
  EXPECT_EQ(history[2]["message"], "v2 was wrong");

  const HttpResponse metrics = Get(s, "/metrics");
  EXPECT_THAT(metrics.body, HasSubstr("wangge_store_live_info{version=\"1\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("wangge_snapshot_info{version=\"1\"} 1"));
}

TEST(Versions, PublishWithDefectsIsRefusedUnlessForcedWithAReason) {
  StoreServer s("forced");
  ASSERT_NE(s.server(), nullptr);
  const HttpResponse created =
      Post(s, "/v1/drafts", VersionedGeoPackage(4, /*overlap=*/true), kGpkg);
  ASSERT_EQ(created.status, 201) << created.body;
  const json draft = Json(created);
  const int errors = draft["coverage"]["errors"];
  ASSERT_GT(errors, 0);
  EXPECT_EQ(draft["publishable"], false);
  const std::string publish = "/v1/drafts/" + std::string(draft["id"]) + "/publish";
  const HttpResponse refused = Post(s, publish, "{}", "application/json");
  EXPECT_EQ(refused.status, 409);
  EXPECT_THAT(refused.body, HasSubstr(std::to_string(errors) + " error-level"));
  EXPECT_EQ(Post(s, publish, R"({"force":true})", "application/json").status, 422);
  EXPECT_EQ(Post(s, publish, R"({"force":true,"reason":"  "})", "application/json").status, 422);
  EXPECT_TRUE(Json(Get(s, "/v1/versions"))["versions"].empty());
  const HttpResponse forced = Post(
      s, publish, R"({"force":true,"reason":"deadline; fixed next week"})", "application/json");
  ASSERT_EQ(forced.status, 202) << forced.body;
  EXPECT_EQ(Json(forced)["forced_reason"], "deadline; fixed next week");
  EXPECT_EQ(Json(Get(s, "/v1/versions"))["history"][0]["forced_reason"],
            "deadline; fixed next week");
}

TEST(Versions, AnotherProcessesPublishIsPickedUpByTheWatcher) {
  PublisherOptions watch;
  watch.poll_ms = 50;
  StoreServer s("watcher", {}, watch);
  ASSERT_NE(s.server(), nullptr);
  const std::string v1 = PublishVersion(s, 2);
  ASSERT_TRUE(s.publisher().WaitServed(v1, 10s));

  // What `wangge publish` does: its own VersionStore over the same folder.
  const std::string gpkg = (testing::Scratch() / "watcher-v6.gpkg").string();
  {
    std::ofstream out(gpkg, std::ios::binary);
    out << VersionedGeoPackage(6);
  }
  auto other = VersionStore::Open(s.dir());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto draft = (*other)->CreateDraft(gpkg, {.author = "cli", .message = "from the CLI"});
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  auto version = (*other)->Publish(draft->id, {.meta = {.author = "cli"}});
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  ASSERT_TRUE(s.publisher().WaitServed(version->id, 10s));
  const json answer = Json(Get(s, LocateTarget(3)));
  EXPECT_EQ(answer["version"], version->id);
  EXPECT_EQ(answer["levels"]["unit"]["code"], TruthUnit(6, 3));
  EXPECT_EQ(Json(Get(s, "/v1/versions"))["history"][1]["author"], "cli");
}

TEST(Versions, AsOfAnswersComeFromTheVersionLiveThen) {
  StoreServer s("as-of");
  ASSERT_NE(s.server(), nullptr);
  const std::string v1 = PublishVersion(s, 8);
  std::this_thread::sleep_for(20ms);
  const std::string between = FormatStoreTime(StoreClock::now());
  std::this_thread::sleep_for(20ms);
  const std::string v2 = PublishVersion(s, 1);
  ASSERT_TRUE(s.publisher().WaitServed(v2, 10s));

  // GET, both ways of writing the time.
  for (const std::string& at : {between, between.substr(0, between.size() - 1) + "%2B00:00",
                                between.substr(0, between.size() - 1) + "+00:00"}) {
    const HttpResponse then = Get(s, LocateTarget(5, "&at=" + at));
    ASSERT_EQ(then.status, 200) << then.body;
    const json answer = Json(then);
    EXPECT_EQ(answer["version"], v1);
    EXPECT_EQ(answer["levels"]["unit"]["code"], TruthUnit(8, 5));
    EXPECT_EQ(answer["levels"]["unit"]["name"], TruthName(8, 5));
    EXPECT_EQ(then.header("wangge-dataset-version"), v1);
  }
  const json now = Json(Get(s, LocateTarget(5, "&at=" + FormatStoreTime(StoreClock::now()))));
  EXPECT_EQ(now["version"], v2);
  EXPECT_EQ(now["levels"]["unit"]["code"], TruthUnit(1, 5));
  // POST (a batch), and the errors.
  const HttpResponse batch =
      Post(s, "/v1/locate?at=" + between, "[[" + std::to_string(ProbeX(5)) + ",25.41]]",
           "application/json");
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_EQ(Json(batch)["version"], v1);
  EXPECT_EQ(Json(batch)["results"][0]["levels"]["unit"]["code"], TruthUnit(8, 5));
  const HttpResponse before = Get(s, LocateTarget(5, "&at=2000-01-01"));
  EXPECT_EQ(before.status, 404);
  EXPECT_THAT(before.body, HasSubstr("the first was published at"));
  EXPECT_EQ(Get(s, LocateTarget(5, "&at=tomorrow")).status, 400);
}

TEST(Versions, DraftDiffAndImpactAgainstTheServedVersion) {
  StoreServer s("diff");
  ASSERT_NE(s.server(), nullptr);
  const std::string v1 = PublishVersion(s, 5);
  ASSERT_TRUE(s.publisher().WaitServed(v1, 10s));
  // The draft moves the split from ProbeX 5 to 3: probes 3 and 4 change unit.
  const HttpResponse created = Post(s, "/v1/drafts", VersionedGeoPackage(3), kGpkg);
  ASSERT_EQ(created.status, 201);
  const std::string id = Json(created)["id"];

  const HttpResponse diff = Get(s, "/v1/drafts/" + id + "/diff");
  ASSERT_EQ(diff.status, 200) << diff.body;
  EXPECT_EQ(diff.header("wangge-dataset-version"), v1);
  const json body = Json(diff);
  std::map<std::string, std::string> kinds;
  for (const json& change : body["changes"]) kinds[change["code"]] = change["kind"];
  EXPECT_EQ(kinds["350302001001"], "reshaped");
  EXPECT_EQ(kinds["350302001002"], "reshaped");
  const HttpResponse geojson = Get(s, "/v1/drafts/" + id + "/diff?f=geojson");
  ASSERT_EQ(geojson.status, 200);
  EXPECT_EQ(Json(geojson)["type"], "FeatureCollection");
  EXPECT_EQ(Get(s, "/v1/drafts/nope/diff").status, 404);
  EXPECT_EQ(Get(s, "/v1/drafts/" + id + "/diff?f=kml").status, 400);

  std::string points = "[";
  for (int j = 0; j <= 6; ++j) {
    points += (j > 0 ? "," : "") + std::string("{\"id\":\"p") + std::to_string(j) +
              "\",\"lon\":" + std::to_string(ProbeX(j)) + ",\"lat\":25.41}";
  }
  points += "]";
  const HttpResponse impact = Post(s, "/v1/drafts/" + id + "/impact", points, "application/json");
  ASSERT_EQ(impact.status, 200) << impact.body;
  const json answer = Json(impact);
  EXPECT_EQ(answer["version"], v1);
  EXPECT_EQ(answer["points_checked"], 7);
  ASSERT_EQ(answer["points"].size(), 2u);
  EXPECT_EQ(answer["points"][0]["id"], "p3");
  EXPECT_EQ(answer["points"][1]["id"], "p4");
  const json& unit = answer["points"][0]["levels"].back();
  EXPECT_EQ(unit["level"], "unit");
  EXPECT_EQ(unit["before"], TruthUnit(5, 3));
  EXPECT_EQ(unit["after"], TruthUnit(3, 3));
  const HttpResponse csv =
      Post(s, "/v1/drafts/" + id + "/impact",
           "id,lon,lat\nr1," + std::to_string(ProbeX(4)) + ",25.41\n", "text/csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(Json(csv)["points"][0]["id"], "r1");
  EXPECT_EQ(Post(s, "/v1/drafts/" + id + "/impact", "[[1,2]", "application/json").status, 400);
  EXPECT_EQ(Post(s, "/v1/drafts/" + id + "/impact", "x", "text/plain").status, 415);
  EXPECT_EQ(Post(s, "/v1/drafts/nope/impact", "[]", "application/json").status, 404);
}

}  // namespace
}  // namespace wangge::server
