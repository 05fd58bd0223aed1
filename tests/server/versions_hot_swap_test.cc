// Issue 7's hot-swap check: 20 versions published while clients locate over keep-alive
// connections; every answer must succeed and match the truth of the version it names.
// Labelled slow: a few seconds alone, longer when the disk is busy (each publish fsyncs).
#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/store_fixture.h"
#include "server/version_helpers.h"
#include "support/http_client.h"

namespace wangge::server {
namespace {

using namespace wangge::testing;
using namespace std::chrono_literals;

// Issue 7: publishing 20 versions while clients locate over keep-alive connections gives zero
// failed and zero mixed-version answers.
TEST(Versions, HotSwapUnderLoadNeverFailsOrMixesVersions) {
  StoreServer s("hot-swap");
  ASSERT_NE(s.server(), nullptr);
  std::map<std::string, int> truth;  // version id → k
  const std::string first = PublishVersion(s, 0);
  truth[first] = 0;
  ASSERT_TRUE(s.publisher().WaitServed(first, 10s));

  struct Answer {
    int j;
    std::string version, code, name;
  };
  constexpr int kClients = 3;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::vector<Answer>> answers(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(s.port());
      for (int n = 0; !stop.load(); ++n) {
        const int j = (n * 7 + c) % 21;
        const HttpResponse r = client.Get(LocateTarget(j));
        const json body = json::parse(r.body, nullptr, false);
        if (r.status != 200 || body.is_discarded() || !body["levels"]["unit"].is_object()) {
          ++failures;
          continue;
        }
        answers[static_cast<size_t>(c)].push_back(
            {j, body["version"], body["levels"]["unit"]["code"], body["levels"]["unit"]["name"]});
      }
    });
  }
  std::vector<std::string> packages;  // made before the load starts
  for (int k = 1; k <= 20; ++k) packages.push_back(VersionedGeoPackage(k));
  for (int k = 1; k <= 20; ++k) {
    const std::string id = PublishVersion(s, k, packages[static_cast<size_t>(k - 1)]);
    ASSERT_FALSE(id.empty());
    truth[id] = k;
    ASSERT_TRUE(s.publisher().WaitServed(id, 10s)) << s.publisher().state().last_error;
    std::this_thread::sleep_for(10ms);  // some answers from each version
  }
  stop = true;
  for (std::thread& t : clients) t.join();

  EXPECT_EQ(failures.load(), 0);
  size_t total = 0;
  std::map<std::string, size_t> per_version;
  for (const std::vector<Answer>& list : answers) {
    for (const Answer& a : list) {
      ++total;
      ++per_version[a.version];
      ASSERT_TRUE(truth.count(a.version)) << "unknown version " << a.version;
      const int k = truth[a.version];
      EXPECT_EQ(a.code, TruthUnit(k, a.j)) << "version " << a.version << " probe " << a.j;
      EXPECT_EQ(a.name, TruthName(k, a.j)) << "version " << a.version << " probe " << a.j;
    }
  }
  EXPECT_GT(total, 100u);
  EXPECT_GE(per_version.size(), 15u);  // the clients saw the versions change
  EXPECT_EQ(s.publisher().state().build_failures, 0u);
}

}  // namespace
}  // namespace wangge::server
