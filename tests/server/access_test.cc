// API keys and access control: key making, hashing and parsing, the api_keys configuration, and
// over real HTTP which requests need which key (401 / 403 before any handler runs).
#include "server/access.h"

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/api_keys.h"
#include "server/server.h"
#include "server/server_fixture.h"
#include "support/http_client.h"
#include "support/test_support.h"

namespace wangge::server {
namespace {

using ::testing::HasSubstr;
using wangge::testing::HttpClient;
using wangge::testing::HttpResponse;

TEST(ApiKeys, AMadeKeyIsFoundOnlyWithItsOwnSecret) {
  Result<NewApiKey> alice = MakeApiKey("alice", ApiRole::kPlanner);
  Result<NewApiKey> bob = MakeApiKey("bob", ApiRole::kReader);
  ASSERT_TRUE(alice.ok() && bob.ok());
  EXPECT_TRUE(alice->secret.starts_with("wg_"));
  EXPECT_EQ(alice->secret.size(), 3u + 43u);
  EXPECT_NE(alice->secret, bob->secret);
  EXPECT_NE(alice->entry.salt, bob->entry.salt);

  const std::vector<ApiKey> keys = {alice->entry, bob->entry};
  std::optional<ApiKey> found = FindApiKey(keys, alice->secret);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "alice");
  EXPECT_EQ(found->role, ApiRole::kPlanner);
  EXPECT_EQ(FindApiKey(keys, bob->secret)->name, "bob");

  std::string altered = alice->secret;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(FindApiKey(keys, altered).has_value());
  EXPECT_FALSE(FindApiKey(keys, "").has_value());
  EXPECT_FALSE(FindApiKey({}, alice->secret).has_value());
}

TEST(ApiKeys, ConfigEntryRoundTripsAndBadFieldsAreNamed) {
  Result<NewApiKey> key = MakeApiKey("li.planner", ApiRole::kPlanner);
  ASSERT_TRUE(key.ok());
  const std::string path = (wangge::testing::ScratchDir() / "access-serve.yaml").string();
  std::ofstream(path) << "read_access: key\napi_keys:\n" << ApiKeyYaml(key->entry);
  ServerOptions options;
  ASSERT_TRUE(LoadServerConfig(path, &options).ok());
  EXPECT_EQ(options.read_access, "key");
  ASSERT_EQ(options.api_keys.size(), 1u);
  EXPECT_EQ(options.api_keys[0].name, "li.planner");
  EXPECT_EQ(FindApiKey(options.api_keys, key->secret)->name, "li.planner");

  EXPECT_THAT(
      ParseApiKey("x", "admin", std::string(32, '0'), std::string(64, '0')).status().message(),
      HasSubstr("role"));
  EXPECT_THAT(ParseApiKey("x", "reader", "abc", std::string(64, '0')).status().message(),
              HasSubstr("salt"));
  EXPECT_THAT(
      ParseApiKey("x", "reader", std::string(32, '0'), std::string(64, 'g')).status().message(),
      HasSubstr("sha256"));
  EXPECT_FALSE(MakeApiKey("a\"b", ApiRole::kReader).ok());
  EXPECT_FALSE(MakeApiKey("", ApiRole::kReader).ok());

  std::ofstream(path) << "api_keys:\n  - name: a\n    role: reader\n";
  Status missing = LoadServerConfig(path, &options);
  EXPECT_THAT(missing.message(), HasSubstr("entry 1: salt"));
  std::ofstream(path) << "read_access: everyone\n";
  ServerOptions other;
  EXPECT_THAT(LoadServerConfig(path, &other).message(), HasSubstr("read_access"));
}

class AccessTest : public ::testing::Test {
 protected:
  void Start(const std::string& read_access) {
    Result<NewApiKey> planner = MakeApiKey("planner-li", ApiRole::kPlanner);
    Result<NewApiKey> reader = MakeApiKey("intake", ApiRole::kReader);
    ASSERT_TRUE(planner.ok() && reader.ok());
    planner_ = planner->secret;
    reader_ = reader->secret;
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = "off";
    options.read_access = read_access;
    options.api_keys = {planner->entry, reader->entry};
    auto server = Server::Start(options, wangge::testing::GridSnapshot());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& key_header = "") {
    HttpClient client(server_->port());
    return client.Request(method, target, method == "GET" ? "" : "[[119.01,25.405]]",
                          "Content-Type: application/json\r\n" + key_header);
  }

  std::string planner_;
  std::string reader_;
  std::unique_ptr<Server> server_;
};

TEST_F(AccessTest, WritesNeedAPlannerKeyAndAreRefusedBeforeAnyHandler) {
  Start("open");
  HttpResponse anonymous = Send("POST", "/v1/drafts");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_THAT(anonymous.body, HasSubstr("\"unauthorized\""));
  EXPECT_THAT(anonymous.header("www-authenticate"), HasSubstr("Bearer"));
  EXPECT_EQ(Send("POST", "/v1/drafts", "Authorization: Bearer wg_not-a-key\r\n").status, 401);

  HttpResponse reader =
      Send("DELETE", "/v1/drafts/0123456789abcdef", "X-API-Key: " + reader_ + "\r\n");
  EXPECT_EQ(reader.status, 403);
  EXPECT_THAT(reader.body, HasSubstr("intake"));

  // A planner's key passes access control; this server has no store, so the handler says 404.
  HttpResponse planner = Send("POST", "/v1/drafts", "authorization: bearer " + planner_ + "\r\n");
  EXPECT_EQ(planner.status, 404) << planner.body;
}

TEST_F(AccessTest, OpenReadsNeedNoKeyAndABatchLocateIsARead) {
  Start("open");
  EXPECT_EQ(Send("GET", "/v1/locate?lon=119.01&lat=25.405").status, 200);
  EXPECT_EQ(Send("POST", "/v1/locate").status, 200);
  // A wrong key is refused even where none is needed: a client should learn its key is bad.
  EXPECT_EQ(Send("GET", "/v1/locate?lon=119.01&lat=25.405", "X-API-Key: nope\r\n").status, 401);
}

TEST_F(AccessTest, KeyedReadsAcceptAnyValidKey) {
  Start("key");
  EXPECT_EQ(Send("GET", "/v1/locate?lon=119.01&lat=25.405").status, 401);
  EXPECT_EQ(Send("POST", "/v1/locate").status, 401);
  EXPECT_EQ(
      Send("GET", "/v1/locate?lon=119.01&lat=25.405", "X-API-Key: " + reader_ + "\r\n").status,
      200);
  EXPECT_EQ(Send("POST", "/v1/locate", "X-API-Key: " + planner_ + "\r\n").status, 200);
  EXPECT_EQ(Send("GET", "/healthz").status, 200);  // probes need no key
  EXPECT_EQ(Send("GET", "/readyz").status, 200);
  EXPECT_EQ(Send("GET", "/metrics").status, 401);
  // CORS preflights carry no credentials and are always answered.
  HttpResponse preflight = Send("OPTIONS", "/v1/drafts");
  EXPECT_EQ(preflight.status, 204);
  EXPECT_THAT(preflight.header("access-control-allow-headers"), HasSubstr("Authorization"));
}

}  // namespace
}  // namespace wangge::server
