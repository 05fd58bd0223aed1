// The real `wangge serve` process under a barrage of bad input: malformed JSON, wrong types, NaN,
// a 100 MB body, a client sending one byte a second, unknown routes, path traversal, and 10,000
// concurrent connections opened and dropped. Afterwards it must still answer correctly, and its
// resident memory must be back near where it was. Also: SIGTERM lets a request in flight finish.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/serve_process.h"
#include "server/server_fixture.h"
#include "support/http_client.h"
#include "support/test_support.h"
#include "wangge/load/dataset_writer.h"

namespace wangge::server {
namespace {

using ::testing::HasSubstr;
using testing::HttpClient;
using testing::HttpResponse;
using testing::RawConnection;
using testing::ServeProcess;
using ::testing::StartsWith;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

class Barrage : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = testing::ScratchDir();
    dataset_ = (dir / "grid.gpkg").string();
    ASSERT_TRUE(WriteGeoPackage(testing::GridDataset().hierarchy, dataset_).ok());
    config_ = (dir / "serve.yaml").string();
    // port: 9 is overridden by --port 0 on the command line (flags win over the file).
    std::ofstream(config_) << "port: 9\n"
                              "threads: 2\n"
                              "access_log: off\n"
                              "max_body_bytes: 33554432\n"
                              "header_timeout_ms: 1500\n"
                              "body_timeout_ms: 3000\n"
                              "keepalive_timeout_ms: 5000\n"
                              "shutdown_grace_ms: 20000\n";
    // Room for 10,000 client sockets here and as many server sockets in the child.
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    connections_ = std::min<size_t>(10'000, limit.rlim_cur > 400 ? limit.rlim_cur - 200 : 200);
  }

  // Checks that the server still answers every kind of request correctly.
  static void ExpectHealthy(uint16_t port) {
    HttpClient client(port);
    EXPECT_EQ(client.Get("/healthz").status, 200);
    const json answer = json::parse(client.Get("/v1/locate?lon=119.02&lat=25.405").body);
    EXPECT_EQ(answer["status"], "boundary");
    EXPECT_EQ(answer["levels"]["unit"]["code"], "350302002001");
    const json items = json::parse(client.Get("/collections/unit/items").body);
    EXPECT_EQ(items["numberMatched"], 4);
    auto batch = client.Request("POST", "/v1/locate", "id,lon,lat\na,119.01,25.405\n",
                                "Content-Type: text/csv\r\n");
    EXPECT_THAT(batch.body, HasSubstr("a,inside,false,350302,350302001,350302001001\n"));
    EXPECT_TRUE(client.connected());
  }

  std::string dataset_;
  std::string config_;
  size_t connections_ = 10'000;
};

TEST_F(Barrage, ServerSurvivesBadInputAndReturnsToItsMemory) {
  ServeProcess serve({dataset_, "--config", config_});
  ASSERT_NE(serve.port(), 0) << "wangge serve did not start";
  const uint16_t port = serve.port();
  ExpectHealthy(port);
  // Warm up the allocator the way the barrage will, then take the baseline.
  for (int i = 0; i < 200; ++i) ExpectHealthy(port);
  const size_t baseline = serve.ResidentBytes();
  ASSERT_GT(baseline, 0u);

  // Malformed and wrong-typed bodies, NaN, unsupported types: all answered with JSON errors.
  {
    HttpClient client(port);
    struct Case {
      std::string body, type;
      int status;
    };
    const std::vector<Case> cases = {
        {"[[119.01, 25.405", "application/json", 400},
        {"{\"type\": \"FeatureCollection\", \"features\": [", "application/json", 400},
        {"[[NaN, NaN]]", "application/json", 400},
        {"[[\"119\", \"25\"]]", "application/json", 422},
        {"[{\"lon\": null, \"lat\": 25}]", "application/json", 422},
        {"[{\"lon\": [], \"lat\": {}}]", "application/json", 422},
        {std::string(10'000, '['), "application/json", 400},
        {std::string("\x00\x01\x02\xff", 4), "application/json", 400},
        {"id,lon,lat\na,nan,nan\n", "text/csv", 200},
        {"id,lon,lat\na,\"unterminated\n", "text/csv", 400},
        {"<xml/>", "application/xml", 415},
    };
    for (int round = 0; round < 20; ++round) {
      for (const Case& c : cases) {
        auto response =
            client.Request("POST", "/v1/locate", c.body, "Content-Type: " + c.type + "\r\n");
        ASSERT_EQ(response.status, c.status) << c.body.substr(0, 40);
      }
    }
    for (const std::string query : {"lon=NaN&lat=NaN", "lon=1e309&lat=0",
                                    "lon=&lat=", "lon=119&lat=25&crs=../../etc/passwd"}) {
      EXPECT_EQ(client.Get("/v1/locate?" + query).status, 400) << query;
    }
  }

  // Unknown routes and path traversal.
  {
    HttpClient client(port);
    for (const std::string& target : std::vector<std::string>{
             "/../../../../etc/passwd", "/collections/..%2f..%2fetc%2fpasswd/items",
             "/v1/regions/..%2F..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/etc/shadow",
             "/api/../../etc/passwd", "/" + std::string(3000, 'a'), "/cgi-bin/test.cgi"}) {
      auto response = client.Get(target);
      EXPECT_EQ(response.status, 404) << target.substr(0, 60);
      EXPECT_THAT(response.body, HasSubstr("\"not_found\""));
      EXPECT_THAT(response.body, ::testing::Not(HasSubstr("root:")));
    }
  }

  // A 100 MB body: refused at its Content-Length; the server reads and discards the rest and the
  // client gets a clean 413.
  {
    RawConnection raw(port);
    const size_t size = 100u << 20;
    ASSERT_TRUE(
        raw.Send("POST /v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                 "Content-Length: " +
                 std::to_string(size) + "\r\n\r\n"));
    const std::string chunk(1 << 20, '7');
    size_t sent = 0;
    while (sent < size && raw.Send(chunk)) sent += chunk.size();
    const std::string answer = raw.ReadAll();
    EXPECT_THAT(answer, StartsWith("HTTP/1.1 413"));
    EXPECT_THAT(answer, HasSubstr("payload_too_large"));
  }

  // A client that sends one byte a second is cut off at the header timeout (1.5 s).
  {
    RawConnection slow(port, /*receive_timeout_ms=*/100);
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const auto start = Clock::now();
    bool closed = false;
    for (size_t i = 0; i < request.size() && !closed; ++i) {
      if (!slow.Send(request.substr(i, 1))) break;
      std::this_thread::sleep_for(std::chrono::seconds(1));
      char buffer[1024];
      const ssize_t n = recv(slow.fd(), buffer, sizeof buffer, MSG_DONTWAIT);
      closed =
          n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
          (n > 0 && std::string(buffer, static_cast<size_t>(n)).find("408") != std::string::npos);
      ExpectHealthy(port);  // others are served meanwhile
    }
    EXPECT_TRUE(closed) << "the slow client was never cut off";
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(15));
  }

  // 10,000 concurrent connections, opened in batches of 500, some with half a request, then all
  // dropped (half of them with a reset).
  {
    std::vector<int> sockets;
    sockets.reserve(connections_);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto start = Clock::now();
    while (sockets.size() < connections_ && Clock::now() - start < std::chrono::seconds(60)) {
      for (size_t b = 0; b < 500 && sockets.size() < connections_; ++b) {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ASSERT_GE(fd, 0) << "socket: " << std::strerror(errno);
        ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0)
            << "connect " << sockets.size() << ": " << std::strerror(errno);
        if (sockets.size() % 3 == 0) {
          const char partial[] = "POST /v1/locate HTTP/1.1\r\nContent-Length: 100\r\n";
          (void)!send(fd, partial, sizeof partial - 1, MSG_NOSIGNAL);
        }
        sockets.push_back(fd);
      }
      ExpectHealthy(port);  // the server keeps answering while connections pile up
    }
    EXPECT_EQ(sockets.size(), connections_);
    for (size_t i = 0; i < sockets.size(); ++i) {
      if (i % 2 == 0) {
        linger reset{1, 0};  // close with RST
        setsockopt(sockets[i], SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      }
      close(sockets[i]);
    }
    std::cerr << "opened and dropped " << sockets.size() << " concurrent connections in "
              << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
  }

  // Still correct, and the memory is given back (the connections' state is freed).
  ExpectHealthy(port);
  size_t after = serve.ResidentBytes();
  for (int i = 0; i < 50 && after > baseline + (8u << 20); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ExpectHealthy(port);
    after = serve.ResidentBytes();
  }
  std::cerr << "resident memory: " << baseline / 1024 << " KiB before, " << after / 1024
            << " KiB after the barrage\n";
  EXPECT_LT(after, baseline + (8u << 20));
  EXPECT_EQ(serve.Terminate(), 0);
}

TEST_F(Barrage, SigtermLetsTheRequestInFlightFinish) {
  ServeProcess serve({dataset_, "--config", config_});
  ASSERT_NE(serve.port(), 0);
  std::string body;
  for (int i = 0; i < 1'000'000; ++i) body += "p,119.01,25.405\n";
  HttpResponse response;
  std::thread client([&] {
    HttpClient c(serve.port());
    response = c.Request("POST", "/v1/locate", body, "Content-Type: text/csv\r\n");
  });
  // Wait until the batch is being answered (the metrics request itself counts one).
  HttpClient probe(serve.port());
  const auto start = Clock::now();
  while (response.status == 0 && Clock::now() - start < std::chrono::seconds(30)) {
    const std::string metrics = probe.Get("/metrics").body;
    if (metrics.find("wangge_http_requests_in_flight 2\n") != std::string::npos) break;
  }
  EXPECT_EQ(serve.Terminate(), 0);
  client.join();
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(std::count(response.body.begin(), response.body.end(), '\n'), 1'000'001);
}

}  // namespace
}  // namespace wangge::server
