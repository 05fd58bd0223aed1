// ServerOptions from YAML: every key documented, unknown keys and bad values refused by name.
#include "server/server_options.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace wangge::server {
namespace {

using ::testing::HasSubstr;

std::string WriteConfig(const std::string& text) {
  const std::string path = (testing::ScratchDir() / "serve.yaml").string();
  std::ofstream(path) << text;
  return path;
}

TEST(LoadServerConfig, SetsTheKeysItNamesAndKeepsTheDefaults) {
  ServerOptions options;
  const std::string path = WriteConfig(
      "# comment\nhost: 0.0.0.0\nport: 9000\nthreads: 4\nmax_body_bytes: 1048576\n"
      "access_log: /var/log/wangge/access.log\nlog_coordinates: true\ngzip: false\n"
      "cors_origin: ''\npublic_url: https://grid.example.org\nlocate_max_distance_m: 30.5\n");
  ASSERT_TRUE(LoadServerConfig(path, &options).ok());
  EXPECT_EQ(options.host, "0.0.0.0");
  EXPECT_EQ(options.port, 9000);
  EXPECT_EQ(options.threads, 4);
  EXPECT_EQ(options.max_body_bytes, 1048576u);
  EXPECT_EQ(options.access_log, "/var/log/wangge/access.log");
  EXPECT_TRUE(options.log_coordinates);
  EXPECT_FALSE(options.gzip);
  EXPECT_EQ(options.cors_origin, "");
  EXPECT_EQ(options.public_url, "https://grid.example.org");
  EXPECT_DOUBLE_EQ(options.locate_max_distance_m, 30.5);
  EXPECT_EQ(options.items_max_limit, ServerOptions().items_max_limit);
  EXPECT_EQ(options.header_timeout_ms, ServerOptions().header_timeout_ms);
}

TEST(LoadServerConfig, AnEmptyFileChangesNothing) {
  ServerOptions options;
  ASSERT_TRUE(LoadServerConfig(WriteConfig(""), &options).ok());
  EXPECT_EQ(options.port, ServerOptions().port);
}

TEST(LoadServerConfig, RefusesUnknownKeysWrongTypesAndBadRanges) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"prot: 80\n", "unknown key \"prot\""},
           {"port: http\n", "port: wrong type (got \"http\")"},
           {"port: 70000\n", "port: must be in 0..65535"},
           {"max_body_bytes: -1\n", "max_body_bytes: must not be negative"},
           {"gzip: sometimes\n", "gzip: wrong type"},
           {"threads: [1, 2]\n", "threads: expected a single value"},
           {"items_default_limit: 500\nitems_max_limit: 100\n", "items_default_limit"},
           {"header_timeout_ms: 0\n", "header_timeout_ms must be positive"},
           {"- just\n- a list\n", "must be a mapping"},
           {"port: [\n", "not valid YAML"},
       }) {
    ServerOptions options;
    const std::string path = WriteConfig(c.yaml);
    const Status s = LoadServerConfig(path, &options);
    ASSERT_FALSE(s.ok()) << c.yaml;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.yaml;
    EXPECT_THAT(s.message(), HasSubstr(path)) << c.yaml;
  }
  ServerOptions options;
  EXPECT_EQ(LoadServerConfig("/nonexistent/serve.yaml", &options).code(), StatusCode::kIoError);
}

TEST(ServerConfigKeys, EveryKeyIsDocumented) {
  std::ifstream file(testing::SourceDir() / "docs" / "server.md");
  std::stringstream text;
  text << file.rdbuf();
  const std::vector<std::string> keys = ServerConfigKeys();
  EXPECT_GE(keys.size(), 20u);
  for (const std::string& key : keys) {
    EXPECT_THAT(text.str(), HasSubstr("| `" + key + "` |")) << key << " is not in docs/server.md";
  }
}

}  // namespace
}  // namespace wangge::server
