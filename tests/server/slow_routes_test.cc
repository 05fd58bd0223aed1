// Slow routes answered on the server's worker threads (RouteTable::MarkSlow), over real HTTP on
// 127.0.0.1 with one reactor thread: a test route that blocks until the test releases it shows
// that other connections are answered meanwhile, that its answer arrives whole, that a full
// queue is answered 503 and that Shutdown waits for it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/handlers.h"
#include "server/routes.h"
#include "server/server.h"
#include "server/server_fixture.h"
#include "support/http_client.h"

namespace wangge::server {
namespace {

using ::testing::HasSubstr;
using wangge::testing::HttpClient;
using wangge::testing::HttpResponse;
using namespace std::chrono_literals;

// The blocking handler's gate. The handler waits at most kGateLimit (so a server that answers on
// the reactor thread fails the test instead of hanging it).
constexpr auto kGateLimit = 20s;
std::mutex gate_mutex;
std::condition_variable gate_changed;
int entered = 0;
bool released = false;
std::atomic<bool> fast_answered{false};  // set by the test once another request was answered
std::atomic<int> saw_fast_answered{0};   // handlers that returned after fast_answered was set

void ResetGate() {
  std::lock_guard<std::mutex> lock(gate_mutex);
  entered = 0;
  released = false;
  fast_answered = false;
  saw_fast_answered = 0;
}

void Release() {
  {
    std::lock_guard<std::mutex> lock(gate_mutex);
    released = true;
  }
  gate_changed.notify_all();
}

// Waits until `n` blocking handlers have started; false after kGateLimit.
bool WaitEntered(int n) {
  std::unique_lock<std::mutex> lock(gate_mutex);
  return gate_changed.wait_for(lock, kGateLimit, [n] { return entered >= n; });
}

std::string BigBody() {
  std::string body = "[";
  for (int i = 0; i < 20000; ++i) body += (i ? "," : "") + std::to_string(i);
  return body + "]";
}

Reply HandleBlocking(const Context&, const HttpRequest& request) {
  std::unique_lock<std::mutex> lock(gate_mutex);
  ++entered;
  gate_changed.notify_all();
  gate_changed.wait_for(lock, kGateLimit, [] { return released; });
  if (fast_answered) ++saw_fast_answered;
  Reply reply;
  reply.body = BigBody();
  reply.headers.emplace_back("X-Echo", std::string(request.body));
  return reply;
}

RouteTable TestRoutes() {
  RouteTable t;
  t.Add(HttpMethod::kGet, "/healthz", HandleHealthz, Access::kPublic);
  t.Add(HttpMethod::kGet, "/v1/locate", HandleLocateGet, Access::kPublic);
  t.Add(HttpMethod::kPost, "/slow", HandleBlocking, Access::kPublic);
  t.MarkSlow(HttpMethod::kPost, "/slow");
  return t;
}

std::unique_ptr<Server> StartServer(const RouteTable& routes) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 1;  // one reactor: a handler running on it would stall every connection
  options.access_log = "off";
  auto server = Server::Start(options, testing::GridSnapshot(), nullptr, &routes);
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(server).value() : nullptr;
}

TEST(SlowRoutes, MarkedInTheApiTable) {
  const RouteTable routes = BuildRoutes();
  auto slow = [&](HttpMethod method, std::string_view target) {
    HttpRequest request;
    request.method = method;
    const size_t q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string_view::npos)
      request.query.emplace_back(std::string(target.substr(q + 1)), "x");
    return routes.IsSlow(MatchRoute(routes, request), request);
  };
  EXPECT_TRUE(slow(HttpMethod::kPost, "/v1/drafts"));
  EXPECT_FALSE(slow(HttpMethod::kGet, "/v1/drafts"));
  EXPECT_TRUE(slow(HttpMethod::kGet, "/v1/drafts/3/diff"));
  EXPECT_TRUE(slow(HttpMethod::kHead, "/v1/drafts/3/diff"));
  EXPECT_TRUE(slow(HttpMethod::kPost, "/v1/drafts/3/impact"));
  EXPECT_TRUE(slow(HttpMethod::kGet, "/v1/drafts/3/coverage"));
  EXPECT_FALSE(slow(HttpMethod::kPost, "/v1/drafts/3/publish"));
  EXPECT_FALSE(slow(HttpMethod::kGet, "/v1/locate"));
  EXPECT_TRUE(slow(HttpMethod::kGet, "/v1/locate?at"));
  EXPECT_TRUE(slow(HttpMethod::kPost, "/v1/locate?at"));
  EXPECT_FALSE(slow(HttpMethod::kGet, "/healthz"));
  EXPECT_FALSE(slow(HttpMethod::kGet, "/nowhere"));
}

TEST(SlowRoutes, OtherConnectionsAreAnsweredWhileOneRuns) {
  ResetGate();
  const RouteTable routes = TestRoutes();
  std::unique_ptr<Server> server = StartServer(routes);
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->port();
  HttpClient slow_client(port);
  HttpResponse slow;
  std::thread sender([&] { slow = slow_client.Request("POST", "/slow", "payload-1"); });
  ASSERT_TRUE(WaitEntered(1));

  HttpClient fast(port);
  const HttpResponse health = fast.Get("/healthz");
  const HttpResponse locate = fast.Get("/v1/locate?lon=119.005&lat=25.405");
  fast_answered = true;
  Release();
  sender.join();
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(locate.status, 200);
  EXPECT_THAT(locate.body, HasSubstr("350302001001"));
  EXPECT_EQ(saw_fast_answered, 1) << "the other connection waited for the slow handler";
  ASSERT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body, BigBody());
  EXPECT_EQ(slow.header("x-echo"), "payload-1");
  // The connection is kept alive and reads the next request after the worker's answer.
  EXPECT_TRUE(slow_client.connected());
  EXPECT_EQ(slow_client.Get("/healthz").status, 200);
  // A request leaves the in-flight count once recorded, just after its answer is sent.
  for (int i = 0; i < 1000 && server->requests_in_flight() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(server->requests_in_flight(), 0);
}

TEST(SlowRoutes, PipelinedRequestClosesTheConnectionAfterTheAnswer) {
  ResetGate();
  const RouteTable routes = TestRoutes();
  std::unique_ptr<Server> server = StartServer(routes);
  ASSERT_NE(server, nullptr);
  testing::RawConnection raw(server->port(), 30'000);
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(raw.Send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"));
  ASSERT_TRUE(WaitEntered(1));
  ASSERT_TRUE(raw.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Let the reactor read the pipelined request before the answer is sent (not an assertion on
  // time: without the pause the test passes either way).
  std::this_thread::sleep_for(100ms);
  Release();
  const std::string received = raw.ReadAll();  // until the server closes
  EXPECT_THAT(received, HasSubstr("HTTP/1.1 200"));
  EXPECT_THAT(received, HasSubstr(BigBody()));
  EXPECT_EQ(received.find("HTTP/1.1", 1), std::string::npos) << "one answer only";
}

TEST(SlowRoutes, FullQueueIsAnswered503AtOnce) {
  ResetGate();
  const RouteTable routes = TestRoutes();
  std::unique_ptr<Server> server = StartServer(routes);
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->port();
  constexpr int kAccepted = 2 + 16;  // worker threads + queue (server.cc)
  std::vector<HttpResponse> answers(kAccepted);
  std::vector<std::thread> senders;
  auto send = [&](int i) {
    senders.emplace_back([&answers, port, i] {
      HttpClient client(port);
      answers[static_cast<size_t>(i)] = client.Request("POST", "/slow", std::to_string(i));
    });
  };
  // Occupy both workers first, then fill the queue: sent all at once, the queue could fill
  // before a worker took its first task.
  send(0);
  send(1);
  const bool workers_busy = WaitEntered(2);
  for (int i = 2; i < kAccepted; ++i) send(i);
  // A guard against a hang, not a timing assertion: the requests normally queue within
  // milliseconds.
  for (int waited_ms = 0;
       workers_busy && server->requests_in_flight() < kAccepted && waited_ms < 60'000;
       ++waited_ms) {
    std::this_thread::sleep_for(1ms);
  }
  if (!workers_busy || server->requests_in_flight() < kAccepted) {
    Release();
    for (std::thread& t : senders) t.join();
    FAIL() << "only " << server->requests_in_flight() << " of " << kAccepted
           << " requests reached the server";
  }
  HttpClient refused(port);
  const HttpResponse busy = refused.Request("POST", "/slow", "late");
  fast_answered = true;
  Release();
  for (std::thread& t : senders) t.join();
  EXPECT_EQ(busy.status, 503);
  EXPECT_THAT(busy.body, HasSubstr("busy"));
  EXPECT_EQ(busy.header("retry-after"), "5");
  EXPECT_EQ(saw_fast_answered, kAccepted);
  for (int i = 0; i < kAccepted; ++i) {
    EXPECT_EQ(answers[static_cast<size_t>(i)].status, 200) << i;
    EXPECT_EQ(answers[static_cast<size_t>(i)].header("x-echo"), std::to_string(i));
  }
}

TEST(SlowRoutes, AnswerOutlastingTheHeaderTimeoutIsNotCut) {
  ResetGate();
  const RouteTable routes = TestRoutes();
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 1;
  options.access_log = "off";
  options.header_timeout_ms = 100;  // Pistache's idle check would answer 408 after this
  auto server = Server::Start(options, testing::GridSnapshot(), nullptr, &routes);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  HttpClient client((*server)->port());
  HttpResponse slow;
  std::thread sender([&] { slow = client.Request("POST", "/slow", "long"); });
  ASSERT_TRUE(WaitEntered(1));
  // Several of Pistache's idle checks (about one a second) pass while the handler runs.
  std::this_thread::sleep_for(2500ms);
  Release();
  sender.join();
  ASSERT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body, BigBody());
}

TEST(SlowRoutes, ShutdownWaitsForTheSlowAnswer) {
  ResetGate();
  const RouteTable routes = TestRoutes();
  std::unique_ptr<Server> server = StartServer(routes);
  ASSERT_NE(server, nullptr);
  HttpClient client(server->port());
  HttpResponse slow;
  std::thread sender([&] { slow = client.Request("POST", "/slow", "last"); });
  ASSERT_TRUE(WaitEntered(1));
  std::atomic<bool> shut_down{false};
  std::thread stopper([&] {
    server->Shutdown();
    shut_down = true;
  });
  // Give a Shutdown that does not wait the time to finish (not an assertion on time).
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(shut_down);
  Release();
  sender.join();
  stopper.join();
  ASSERT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body, BigBody());
  EXPECT_EQ(slow.header("connection"), "close");  // draining
}

}  // namespace
}  // namespace wangge::server
