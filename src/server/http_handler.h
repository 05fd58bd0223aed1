// The Pistache adapter: the only code that touches Pistache's request and response types.
//
// Pistache 0.0.5 (Debian) parses each connection's bytes with a per-connection parser and, on a
// complete request, calls the handler on the connection's reactor thread. This handler replaces
// its input step (onInput) to add what the stock one lacks (notes/env-feasibility.md §5):
//   - keep-alive by HTTP/1.1 default (the stock step answers "Connection: close" when the request
//     has no Connection header);
//   - a body limit enforced as soon as Content-Length is known, answered with a JSON 413 after
//     which the rest of the body is discarded unread and the connection closed (the stock step
//     buffers up to the limit, answers in plain text and then parses the remaining body bytes as
//     new requests);
//   - JSON errors for malformed HTTP (400), oversized headers (431);
// then converts the request to an HttpRequest, dispatches it (routes.h) and writes the Reply with
// CORS, Connection, gzip and chunked streaming; and records metrics and the access log.
// Header and body timeouts stay Pistache's (its transport checks the parser's start time).
//
// Slow routes (RouteTable::MarkSlow) are answered on ServiceState::workers instead of the reactor
// thread, so one upload does not stall every connection that thread serves; a full queue is
// answered 503 at once. The worker hands its answer to Pistache itself: ResponseWriter::send only
// formats the answer and pushes it on the transport's write queue (a multi-producer queue that
// wakes the reactor), which is what Pistache 0.0.5 does for any writer moved to another thread.
// A streamed (producer) body is collected whole first, since ResponseStream::flush drains the
// write queue from the calling thread. While a request is with a worker its connection reads
// nothing more: a pipelined request makes the answer close the connection, and the parser is
// parked on a step Pistache's idle check ignores, so a long answer is not cut by the header
// timeout (408).
//
//   auto state = std::make_shared<ServiceState>(...);
//   endpoint.setHandler(MakeHttpHandler(state));
//
// Thread safety: Pistache clones the handler per reactor thread; clones share one ServiceState,
// whose members are immutable, atomic or guarded (send_mutex); WorkerPool is thread-safe. One
// race remains, Pistache's own: ResponseWriter::send sets the peer's plain `idle` flag, which the
// reactor's idle check reads, so an answer sent from a worker writes it from another thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "server/access_log.h"
#include "server/context.h"
#include "server/routes.h"

namespace Pistache::Http {
class Handler;
}

namespace wangge::server {

// A fixed number of threads running tasks from a bounded queue.
class WorkerPool {
 public:
  // A task is called with true to run it, or with false when the pool stops before it ran.
  using Task = std::function<void(bool run)>;

  WorkerPool(int threads, size_t max_queued);
  ~WorkerPool();  // Stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; returns false (and drops it) if the queue is full or the pool has stopped.
  bool TrySubmit(Task task);
  // Cancels the queued tasks, waits for the running ones and joins the threads. Idempotent.
  void Stop();

 private:
  void Run();

  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

struct ServiceState {
  std::shared_ptr<const Context> context;
  RouteTable routes;
  Metrics* metrics = nullptr;         // owned by the Server
  AccessLog* access_log = nullptr;    // owned by the Server
  std::atomic<int64_t> in_flight{0};  // requests being answered (a slow one until a worker sent it)
  std::atomic<int64_t> pending_writes{0};  // answers handed to Pistache, not yet written
  std::atomic<bool> draining{false};  // set when shutdown begins: answers close their connection
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> peak_connections{0};  // the most open at once since memory was last trimmed
  // Answers slow routes; null: every route is answered on the reactor threads.
  std::unique_ptr<WorkerPool> workers;
  // Held by a worker while it hands an answer to Pistache; `endpoint_stopped` (set under it before
  // the endpoint shuts down) makes later answers be dropped rather than sent to a freed transport.
  std::mutex send_mutex;
  bool endpoint_stopped = false;
};

std::shared_ptr<Pistache::Http::Handler> MakeHttpHandler(std::shared_ptr<ServiceState> state);

}  // namespace wangge::server
