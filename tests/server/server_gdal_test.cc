// GDAL as a real client of the OGC API – Features endpoints: `ogrinfo OAPIF:http://...` (gdal-bin)
// lists the levels as layers and reads the features inside a bbox, following next links.
#include <cstdio>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/server.h"
#include "server/server_fixture.h"

namespace wangge::server {
namespace {

using ::testing::HasSubstr;

// Runs `command` and returns its standard output (and error).
std::string RunCommand(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>&1").c_str(), "r"), pclose);
  std::string out;
  if (!pipe) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0) out.append(buffer, n);
  return out;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

class GdalClient : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(RunCommand("ogrinfo --version"), HasSubstr("GDAL"))
        << "ogrinfo not found: install gdal-bin (scripts/setup.sh)";
    live_ = testing::GridSnapshot();
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.access_log = "off";
    options.items_default_limit = 2;
    options.items_max_limit = 2;  // GDAL pages with next links
    auto server = Server::Start(options, live_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    url_ = "OAPIF:http://127.0.0.1:" + std::to_string(server_->port());
  }

  std::string Ogrinfo(const std::string& arguments) {
    // No proxy for the loopback server, whatever the environment says.
    return RunCommand("env -u http_proxy -u HTTP_PROXY GDAL_HTTP_TIMEOUT=30 ogrinfo -ro " +
                      arguments);
  }

  std::shared_ptr<LiveSnapshot> live_;
  std::unique_ptr<Server> server_;
  std::string url_;
};

TEST_F(GdalClient, ListsOneLayerPerLevel) {
  const std::string out = Ogrinfo("-so " + url_);
  EXPECT_THAT(out, HasSubstr("using driver `OAPIF' successful"));
  EXPECT_THAT(out, HasSubstr("1: district (title: 区县)"));
  EXPECT_THAT(out, HasSubstr("2: grid (title: 网格)"));
  EXPECT_THAT(out, HasSubstr("3: unit (title: 单元)"));
}

TEST_F(GdalClient, ReadsEveryFeatureAcrossPages) {
  const std::string out = Ogrinfo("-q " + url_ + " unit");
  EXPECT_EQ(Count(out, "OGRFeature(unit)"), 4u) << out;
  for (const char* code : {"350302001001", "350302001002", "350302002001", "350302002002"}) {
    EXPECT_THAT(out, HasSubstr(std::string("code (String) = ") + code));
  }
  EXPECT_THAT(out, HasSubstr("name (String) = 第4单元"));
  EXPECT_THAT(out, HasSubstr("households (String) = 19"));
  EXPECT_THAT(out, HasSubstr("MULTIPOLYGON (((119.02 25.41,119.025 25.41,119.025 25.42,"));
}

TEST_F(GdalClient, ReadsTheFeaturesInsideABbox) {
  // The west grid's lower unit only.
  std::string out = Ogrinfo("-q " + url_ + " unit -spat 119.001 25.401 119.019 25.409");
  EXPECT_EQ(Count(out, "OGRFeature(unit)"), 1u) << out;
  EXPECT_THAT(out, HasSubstr("code (String) = 350302001001"));
  // Across the two grids' shared edge: one unit on each side.
  out = Ogrinfo("-q " + url_ + " unit -spat 119.015 25.401 119.021 25.409");
  EXPECT_EQ(Count(out, "OGRFeature(unit)"), 2u) << out;
  EXPECT_THAT(out, HasSubstr("code (String) = 350302002001"));
  // The gap: no unit, but its grid.
  out = Ogrinfo("-q " + url_ + " unit -spat 119.026 25.412 119.029 25.418");
  EXPECT_EQ(Count(out, "OGRFeature(unit)"), 0u) << out;
  out = Ogrinfo("-q " + url_ + " grid -spat 119.026 25.412 119.029 25.418");
  EXPECT_EQ(Count(out, "OGRFeature(grid)"), 1u) << out;
}

}  // namespace
}  // namespace wangge::server
