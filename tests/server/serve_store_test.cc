// `wangge serve --store` as a process: an empty store with DATASET publishes it as version 1; a
// restart resumes the store's live version and, given a DATASET again, warns and keeps the store.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/serve_process.h"
#include "server/store_fixture.h"
#include "support/http_client.h"

namespace wangge::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ServeStore, PublishesTheDatasetIntoAnEmptyStoreAndLaterKeepsTheStore) {
  const fs::path dir = Scratch();
  const std::string store = (dir / "store").string();
  const std::string first = (dir / "first.gpkg").string();
  const std::string second = (dir / "second.gpkg").string();
  std::ofstream(first, std::ios::binary) << VersionedGeoPackage(2);
  std::ofstream(second, std::ios::binary) << VersionedGeoPackage(7);
  const std::string log = (dir / "serve.err").string();
  {
    ServeProcess serve({first, "--store", store, "--access-log", "off"}, log);
    ASSERT_NE(serve.port(), 0) << ReadText(log);
    HttpClient client(serve.port());
    const json versions = json::parse(client.Get("/v1/versions").body);
    EXPECT_EQ(versions["live"], "1");
    EXPECT_EQ(versions["history"][0]["author"], "wangge serve");
    EXPECT_EQ(versions["history"][0]["message"], "initial version");
    const json answer = json::parse(client.Get("/v1/locate?lon=119.0115&lat=25.41").body);
    EXPECT_EQ(answer["version"], "1");
    EXPECT_EQ(answer["levels"]["unit"]["name"], "west v2");
  }
  {
    ServeProcess serve({second, "--store", store, "--access-log", "off"}, log);
    ASSERT_NE(serve.port(), 0) << ReadText(log);
    HttpClient client(serve.port());
    const json answer = json::parse(client.Get("/v1/locate?lon=119.0115&lat=25.41").body);
    EXPECT_EQ(answer["version"], "1");
    EXPECT_EQ(answer["levels"]["unit"]["name"], "west v2");  // the store wins
    EXPECT_EQ(json::parse(client.Get("/v1/versions").body)["versions"].size(), 1u);
  }
  EXPECT_THAT(ReadText(log), HasSubstr("warning"));
  {
    // No DATASET: the store alone.
    ServeProcess serve({"--store", store, "--access-log", "off"}, log);
    ASSERT_NE(serve.port(), 0) << ReadText(log);
    HttpClient client(serve.port());
    EXPECT_EQ(client.Get("/readyz").status, 200);
  }
}

TEST(ServeStore, AnEmptyStoreWithoutDatasetStartsWithNoVersion) {
  const std::string store = (Scratch() / "empty-store").string();
  const std::string log = (Scratch() / "empty.err").string();
  ServeProcess serve({"--store", store, "--access-log", "off"}, log);
  ASSERT_NE(serve.port(), 0) << ReadText(log);
  HttpClient client(serve.port());
  EXPECT_EQ(client.Get("/readyz").status, 503);
  EXPECT_EQ(client.Get("/v1/locate?lon=119.0115&lat=25.41").status, 503);
}

}  // namespace
}  // namespace wangge::testing
