#include "server/http_handler.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

#include <malloc.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <pistache/transport.h>
#include <sys/socket.h>

#include "server/access.h"
#include "server/gzip_stream.h"
#include "server/http_status.h"
#include "server/json_text.h"

namespace wangge::server {
namespace {

namespace Http = Pistache::Http;
using Peer = Pistache::Tcp::Peer;

// After this many connections have closed since the peak (and at least half of them), the
// allocator's free memory is returned to the system.
constexpr int64_t kTrimAfterClosedConnections = 1000;

// A request body with at least this many bytes still to come is collected by the handler itself
// (GuardedParser::body) instead of Pistache's parser, which copies a body byte by byte twice.
constexpr size_t kDirectBodyBytes = 64 << 10;

// Answers are written whole by this handler, head and body in one buffer, rather than through
// Pistache's ResponseWriter, which builds a map of header objects and formats it with an ostream.
void AppendHeader(std::string& head, std::string_view name, std::string_view value) {
  head += name;
  head += ": ";
  head += value;
  head += "\r\n";
}

// Ends `head` with the framing of a body sent whole (no Content-Length on 204 and 304, which have
// no body) and, unless `head_only`, the body itself.
void AppendWholeBody(std::string& head, int status, std::string_view body, bool head_only) {
  if (status != 204 && status != 304)
    AppendHeader(head, "Content-Length", std::to_string(body.size()));
  head += "\r\n";
  if (!head_only) head += body;
}

// Returns e.g. "HTTP/1.1 404 Not Found\r\n".
std::string StatusLine(int status) {
  std::string line = "HTTP/1.1 ";
  line += std::to_string(status);
  line += ' ';
  line += Http::codeString(static_cast<Http::Code>(status));
  line += "\r\n";
  return line;
}

// A parser step that parses nothing. Its id is none of Pistache's three, and Pistache's idle
// check (TransportImpl::checkTimeout) times out only a connection on one of those or idle, so a
// connection parked on it while a worker answers is never cut with a 408.
class HoldStep final : public Http::Private::Step {
 public:
  static constexpr Http::Private::StepId Id = Pistache::Meta::Hash::fnv1a("wangge.Held");
  explicit HoldStep(Http::Message* held) : Http::Private::Step(held) {}
  Http::Private::StepId id() const override { return Id; }
  Http::Private::State apply(Pistache::StreamCursor&) override {
    return Http::Private::State::Again;
  }
};

// Pistache's request parser plus what this handler tracks per connection.
class GuardedParser final : public Http::RequestParser {
 public:
  explicit GuardedParser(size_t max_bytes)
      : Http::RequestParser(max_bytes), hold_step_(std::make_unique<HoldStep>(&request)) {}

  // Parks the (freshly reset) parser while a worker answers its request; Release() undoes it.
  // Reactor thread only.
  void Hold() {
    std::swap(allSteps[0], hold_step_);
    currentStep = 0;
    held = true;
  }
  void Release() {
    std::swap(allSteps[0], hold_step_);
    held = false;
    reset();
    buffered = 0;
  }

  // Takes over collecting the body of the request being parsed, whose Content-Length is
  // `length`: what Pistache's body step read so far, then the rest as it comes (AddBody).
  void CollectBody(size_t length) {
    body = std::as_const(request).body();
    body.reserve(length);
    body_missing = length - body.size();
  }
  // Appends the next bytes of a body being collected; returns how many it took.
  size_t AddBody(const char* data, size_t size) {
    const size_t take = std::min(size, body_missing);
    body.append(data, take);
    body_missing -= take;
    return take;
  }
  // Ends the request: hands out the collected body (empty if Pistache's parser read it).
  std::string TakeBody() {
    std::string taken = std::move(body);
    body.clear();
    body_missing = 0;
    return taken;
  }

  size_t buffered = 0;      // bytes fed since the current request began
  std::string body;         // the body, when collected here (CollectBody)
  size_t body_missing = 0;  // > 0 while collecting: the bytes still to come
  bool discarding = false;  // a request was refused: ignore everything until the peer closes
  // Answers handed to Pistache's transport queue and not yet written out. While there are any,
  // a new answer must queue behind them.
  std::atomic<int> queued_answers = 0;
  bool held = false;  // Hold() is in effect (reactor thread only)
  std::mutex deferred_mutex;
  bool deferred = false;   // under deferred_mutex: a worker is answering this connection
  bool pipelined = false;  // under deferred_mutex: more input came meanwhile (it is discarded)

 private:
  std::unique_ptr<Http::Private::Step> hold_step_;
};

HttpMethod ToMethod(Http::Method method) {
  switch (method) {
    case Http::Method::Get:
      return HttpMethod::kGet;
    case Http::Method::Head:
      return HttpMethod::kHead;
    case Http::Method::Post:
      return HttpMethod::kPost;
    case Http::Method::Put:
      return HttpMethod::kPut;
    case Http::Method::Patch:
      return HttpMethod::kPatch;
    case Http::Method::Delete:
      return HttpMethod::kDelete;
    case Http::Method::Options:
      return HttpMethod::kOptions;
    default:
      return HttpMethod::kOther;
  }
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Returns true if the Host header is safe to echo into links.
bool PlausibleHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
        c != '[' && c != ']' && c != '_') {
      return false;
    }
  }
  return true;
}

// Builds the handler's view of `request`; fails on a malformed query escape.
Status Convert(const Http::Request& request, const ServerOptions& options, HttpRequest* out) {
  out->method = ToMethod(request.method());
  out->path = request.resource();
  out->body = request.body();
  for (const auto& [name, raw] : request.headers().rawList()) {
    out->headers.emplace_back(Lower(name), raw.value());
  }
  for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it) {
    std::optional<std::string> name = PercentDecode(it->first, true);
    std::optional<std::string> value = PercentDecode(it->second, true);
    if (!name || !value) {
      return Status::InvalidArgument("malformed %-escape in query parameter " +
                                     it->first.substr(0, 64));
    }
    out->query.emplace_back(std::move(*name), std::move(*value));
  }
  if (!options.public_url.empty()) {
    out->base_url = options.public_url;
    while (!out->base_url.empty() && out->base_url.back() == '/') out->base_url.pop_back();
  } else {
    const std::optional<std::string_view> host = out->Header("host");
    out->base_url = "http://" + (host && PlausibleHost(*host)
                                     ? std::string(*host)
                                     : options.host + ":" + std::to_string(options.port));
  }
  return Status::Ok();
}

bool WantsKeepAlive(const Http::Request& request) {
  if (auto connection = request.headers().tryGet<Http::Header::Connection>()) {
    return connection->control() != Http::ConnectionControl::Close;
  }
  return request.version() == Http::Version::Http11;
}

bool AcceptsGzip(const HttpRequest& request) {
  const std::optional<std::string_view> accept = request.Header("accept-encoding");
  if (!accept) return false;
  bool gzip = false;
  bool star = false;
  bool gzip_listed = false;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    std::string_view name = item.substr(0, item.find(';'));
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    bool refused = false;
    if (const size_t q = item.find("q="); q != std::string_view::npos) {
      std::string_view value = item.substr(q + 2);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      refused = value.find_first_not_of("0.") == std::string_view::npos;  // q=0, q=0.0, ...
    }
    const std::string lower = Lower(std::string(name));
    if (lower == "gzip" || lower == "x-gzip") {
      gzip_listed = true;
      gzip = !refused;
    } else if (lower == "*") {
      star = !refused;
    }
  }
  return gzip || (star && !gzip_listed);
}

bool Compressible(std::string_view content_type) {
  return content_type.starts_with("application/json") ||
         content_type.starts_with("application/geo+json") ||
         content_type.starts_with("application/vnd.oai.openapi") ||
         content_type.starts_with("text/");
}

class HttpHandler;

// A slow request on its way to a worker: everything its answer needs, at stable addresses
// (`http`'s views point into `request`).
struct DeferredRequest {
  Http::Request request;
  std::string body;  // when collected by the handler, else empty and the request holds it
  HttpRequest http;
  std::weak_ptr<Peer> peer;
  std::shared_ptr<GuardedParser> parser;
  std::shared_ptr<ServiceState> state;
  HttpHandler* handler;  // used only under state->send_mutex while the endpoint runs
  size_t route;
  std::chrono::steady_clock::time_point start;
};

class HttpHandler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(HttpHandler)

  explicit HttpHandler(std::shared_ptr<ServiceState> state) : state_(std::move(state)) {}

  // Unused: onInput below dispatches itself. Kept because Http::Handler requires it.
  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    const std::shared_ptr<Peer> peer = writer.getPeer();
    Serve(Http::Request(request), std::string(), peer, nullptr);
  }

  void onConnection(const std::shared_ptr<Peer>& peer) override {
    peer->putData(ParserData, std::make_shared<GuardedParser>(getMaxRequestSize()));
    state_->metrics->ConnectionOpened();
    const int64_t open = state_->open_connections.fetch_add(1) + 1;
    int64_t peak = state_->peak_connections.load();
    while (open > peak && !state_->peak_connections.compare_exchange_weak(peak, open)) {
    }
  }

  void onDisconnection(const std::shared_ptr<Peer>&) override {
    state_->metrics->ConnectionClosed();
    const int64_t open = state_->open_connections.fetch_sub(1) - 1;
    // After a burst of connections has gone, hand the memory their state held back to the
    // system: glibc keeps freed blocks in each reactor thread's arena otherwise, so resident
    // memory would stay at the burst's peak.
    int64_t peak = state_->peak_connections.load();
    if (peak - open >= kTrimAfterClosedConnections && open <= peak / 2 &&
        state_->peak_connections.compare_exchange_strong(peak, open)) {
      malloc_trim(0);
    }
  }

  void onInput(const char* data, size_t size, const std::shared_ptr<Peer>& peer) override {
    std::shared_ptr<GuardedParser> parser_ptr =
        std::static_pointer_cast<GuardedParser>(getParser(peer));
    auto& parser = *parser_ptr;
    if (parser.discarding) return;
    if (parser.held) {
      std::unique_lock<std::mutex> lock(parser.deferred_mutex);
      if (parser.deferred) {
        // A pipelined request while a worker answers the last one: it is not read, and that
        // answer closes the connection (answers must go out in order).
        parser.pipelined = true;
        parser.discarding = true;
        return;
      }
      lock.unlock();
      parser.Release();
    }
    const ServerOptions& options = state_->context->options;
    parser.buffered += size;
    if (parser.body_missing > 0) {
      const size_t taken = parser.AddBody(data, size);
      if (parser.body_missing > 0) return;
      Complete(peer, parser_ptr);
      if (taken < size) onInput(data + taken, size - taken, peer);  // a pipelined request
      return;
    }
    try {
      if (!parser.feed(data, size)) {
        Refuse(peer, parser, HttpError::kPayloadTooLarge, "the request exceeds the size limit");
        return;
      }
      const Http::Private::State state = parser.parse();
      const auto length = parser.request.headers().tryGet<Http::Header::ContentLength>();
      if (state != Http::Private::State::Done) {
        if (parser.step()->id() != Http::Private::BodyStep::Id) {
          if (parser.buffered > options.max_header_bytes) {
            Refuse(peer, parser, HttpError::kHeadersTooLarge,
                   "the request line and headers exceed " +
                       std::to_string(options.max_header_bytes) + " bytes");
          }
          return;
        }
        const size_t limit = BodyLimit(parser.request);
        if ((length && length->value() > limit) ||
            std::as_const(parser.request).body().size() > limit) {
          RefuseBody(peer, parser);
          return;
        }
        const bool chunked =
            parser.request.headers().tryGet<Http::Header::TransferEncoding>() != nullptr;
        if (length && !chunked &&
            length->value() - std::as_const(parser.request).body().size() >= kDirectBodyBytes) {
          parser.CollectBody(length->value());
        }
        return;
      }
      if (length && length->value() > BodyLimit(parser.request)) {
        RefuseBody(peer, parser);
        return;
      }
    } catch (const std::bad_alloc&) {  // e.g. Content-Length: 10^18 reserved up front
      RefuseBody(peer, parser);
      return;
    } catch (const std::length_error&) {
      RefuseBody(peer, parser);
      return;
    } catch (const Http::HttpError& e) {
      Refuse(peer, parser, HttpError::kBadRequest, "malformed HTTP request: " + e.reason());
      return;
    } catch (const std::exception& e) {
      Refuse(peer, parser, HttpError::kBadRequest,
             std::string("malformed HTTP request: ") + e.what());
      return;
    }

    Complete(peer, std::move(parser_ptr));
  }

 private:
  // Answers the request `parser` has read whole, and readies it for the next.
  void Complete(const std::shared_ptr<Peer>& peer, std::shared_ptr<GuardedParser> parser) {
    Http::Request request = std::move(parser->request);
    std::string body = parser->TakeBody();
    parser->reset();
    parser->buffered = 0;
    peer->setIdle(false);  // as Pistache's own input step does: a request is being answered
    request.copyAddress(peer->address());
    Serve(std::move(request), std::move(body), peer, std::move(parser));
  }

  // Returns the largest body `request` may have: max_upload_bytes for a draft upload (POST
  // /v1/drafts on a server with a store) by a planner, else max_body_bytes. Decided from the
  // headers, so a client without a planner's key can never make the server buffer an upload.
  size_t BodyLimit(const Http::Request& request) const {
    const Context& context = *state_->context;
    if (context.publisher && request.method() == Http::Method::Post &&
        IsUploadPath(request.resource()) && MayWrite(request)) {
      return std::max(context.options.max_upload_bytes, context.options.max_body_bytes);
    }
    return context.options.max_body_bytes;
  }

  bool MayWrite(const Http::Request& request) const {
    HttpRequest credentials;
    for (const auto& [name, raw] : request.headers().rawList()) {
      std::string lower = Lower(name);
      if (lower == "authorization" || lower == "x-api-key") {
        credentials.headers.emplace_back(std::move(lower), raw.value());
      }
    }
    return !Authorize(state_->context->options, Access::kWrite, credentials).has_value();
  }

  static bool IsUploadPath(std::string_view path) { return path == "/v1/drafts"; }

  void RefuseBody(const std::shared_ptr<Peer>& peer, GuardedParser& parser) {
    const bool upload = BodyLimit(parser.request) != state_->context->options.max_body_bytes;
    Refuse(peer, parser, HttpError::kPayloadTooLarge,
           "the request body exceeds " + std::to_string(BodyLimit(parser.request)) +
               (upload ? " bytes (max_upload_bytes)" : " bytes (max_body_bytes)"));
  }

  void Refuse(const std::shared_ptr<Peer>& peer, GuardedParser& parser, HttpError error,
              const std::string& message) {
    SendRefusal(peer, parser, ErrorReply(error, message));
  }

  // Answers a request that will not be read to its end, then stops reading the connection: the
  // answer is followed by a FIN once written, and whatever else the client sends is discarded
  // until it closes.
  void SendRefusal(const std::shared_ptr<Peer>& peer, GuardedParser& parser, Reply reply) {
    const auto start = std::chrono::steady_clock::now();
    const HttpMethod method = ToMethod(parser.request.method());
    const std::string path = parser.request.resource();
    std::string answer = Head(reply, /*keep_alive=*/false);
    AppendWholeBody(answer, reply.status, reply.body, /*head_only=*/false);
    const size_t bytes = reply.body.size();
    WriteLast(std::move(answer), /*keep_alive=*/false, peer, nullptr, /*on_reactor=*/true);
    parser.TakeBody();
    parser.reset();
    parser.buffered = 0;
    parser.discarding = true;
    Record(*state_, state_->metrics->unmatched_route(), method, path, "", reply.status, bytes,
           start);
  }

  // Counts the answer as being written until `written` settles (Shutdown waits for that; so does
  // a later answer on the connection, through `parser`'s queued_answers, which the caller raised),
  // then, unless `keep_alive`, ends the connection's sending side: a FIN after the answer, after
  // which the client closes and Pistache frees the connection.
  void AfterWritten(Pistache::Async::Promise<ssize_t> written, bool keep_alive,
                    const std::shared_ptr<Peer>& peer, std::shared_ptr<GuardedParser> parser) {
    std::shared_ptr<ServiceState> state = state_;
    state->pending_writes.fetch_add(1, std::memory_order_relaxed);
    std::weak_ptr<Peer> weak = peer;
    auto settled = [state, parser] {
      if (parser) parser->queued_answers.fetch_sub(1);
      state->pending_writes.fetch_sub(1, std::memory_order_relaxed);
    };
    written.then(
        [weak, keep_alive, settled](ssize_t) {
          if (!keep_alive) {
            if (auto p = weak.lock()) ::shutdown(p->fd(), SHUT_WR);
          }
          settled();
        },
        [settled](std::exception_ptr&) { settled(); });
  }

  // Returns the status line and the headers every answer carries.
  std::string Head(const Reply& reply, bool keep_alive) const {
    const ServerOptions& options = state_->context->options;
    std::string head = StatusLine(reply.status);
    if (!reply.content_type.empty()) AppendHeader(head, "Content-Type", reply.content_type);
    for (const auto& [name, value] : reply.headers) AppendHeader(head, name, value);
    if (!options.cors_origin.empty()) {
      AppendHeader(head, "Access-Control-Allow-Origin", options.cors_origin);
      AppendHeader(head, "Access-Control-Expose-Headers", "Wangge-Dataset-Version");
    }
    AppendHeader(head, "Connection", keep_alive ? "keep-alive" : "close");
    return head;
  }

  // Hands the last bytes of an answer to the network; the connection may idle once they are out.
  // On the reactor thread, with no earlier answer of the connection still queued, they go straight
  // to the socket: one send() and no copy for an answer the socket buffer takes whole (most of
  // them). The rest, and answers from a worker, queue on Pistache's transport.
  void WriteLast(std::string bytes, bool keep_alive, const std::shared_ptr<Peer>& peer,
                 const std::shared_ptr<GuardedParser>& parser, bool on_reactor) {
    peer->setIdle(true);  // as Pistache's ResponseWriter does
    if (on_reactor && parser && parser->queued_answers.load() == 0) {
      const ssize_t sent = ::send(peer->fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent == static_cast<ssize_t>(bytes.size())) {
        if (!keep_alive) ::shutdown(peer->fd(), SHUT_WR);
        return;
      }
      // A broken connection: Pistache closes it when it sees the error.
      if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return;
      if (sent > 0) bytes.erase(0, static_cast<size_t>(sent));
    }
    if (parser) parser->queued_answers.fetch_add(1);
    QueueLast(std::move(bytes), keep_alive, peer, parser);
  }

  // Queues the last bytes of an answer on Pistache's transport. REQUIRES: the caller counted the
  // answer in `parser`'s queued_answers (if any).
  void QueueLast(std::string bytes, bool keep_alive, const std::shared_ptr<Peer>& peer,
                 std::shared_ptr<GuardedParser> parser) {
    const size_t size = bytes.size();
    AfterWritten(transport()->asyncWrite(peer->fd(), Pistache::RawBuffer(std::move(bytes), size)),
                 keep_alive, peer, std::move(parser));
  }

  // Answers `request`, here or (a slow route, when `parser` is given) on a worker. `body` is the
  // request's body if the handler collected it, else empty.
  void Serve(Http::Request&& request, std::string body, const std::shared_ptr<Peer>& peer,
             std::shared_ptr<GuardedParser> parser) {
    const auto start = std::chrono::steady_clock::now();
    ServiceState& state = *state_;
    state.in_flight.fetch_add(1, std::memory_order_relaxed);
    HttpRequest http_request;
    size_t route = RouteTable::kNoRoute;
    Reply reply;
    size_t bytes = 0;
    try {
      if (Status s = Convert(request, state.context->options, &http_request); !s.ok()) {
        reply = ErrorReply(s);
      } else {
        if (!body.empty()) http_request.body = body;
        route = MatchRoute(state.routes, http_request);
        if (parser && state.workers && state.routes.IsSlow(route, http_request)) {
          if (Defer(request, body, http_request, peer, parser, route, start)) {
            return;  // counted in flight until the worker has handed its answer over
          }
          reply = ErrorReply(HttpError::kUnavailable,
                             "the server is busy with slow requests (uploads, diffs, as-of "
                             "answers); retry later");
          reply.headers.emplace_back("Retry-After", "5");
        } else {
          reply = DispatchMatched(state.routes, *state.context, http_request, route);
        }
      }
      const bool keep_alive =
          WantsKeepAlive(request) && !state.draining.load(std::memory_order_relaxed);
      bytes = Send(reply, http_request, keep_alive, peer, parser, /*on_reactor=*/true);
    } catch (const std::exception& e) {
      std::cerr << "wangge serve: internal error answering " << request.resource() << ": "
                << e.what() << "\n";
      if (peer) ::shutdown(peer->fd(), SHUT_RDWR);  // the answer may be half written: end it
      reply.status = 500;
    }
    Record(state, route == RouteTable::kNoRoute ? state.metrics->unmatched_route() : route,
           http_request.method, request.resource(), QueryForLog(state, http_request), reply.status,
           bytes, start);
    state.in_flight.fetch_sub(1, std::memory_order_relaxed);
  }

  // Hands the request to a worker; returns false, leaving the arguments as they were, if the
  // queue is full.
  bool Defer(Http::Request& request, std::string& body, HttpRequest& http_request,
             const std::shared_ptr<Peer>& peer, std::shared_ptr<GuardedParser>& parser,
             size_t route, std::chrono::steady_clock::time_point start) {
    auto task = std::make_shared<DeferredRequest>(DeferredRequest{.request = std::move(request),
                                                                  .body = std::move(body),
                                                                  .http = std::move(http_request),
                                                                  .peer = peer,
                                                                  .parser = std::move(parser),
                                                                  .state = state_,
                                                                  .handler = this,
                                                                  .route = route,
                                                                  .start = start});
    // Moving a std::string may move its characters (short strings): point the views again.
    task->http.path = task->request.resource();
    task->http.body = task->body.empty() ? std::string_view(std::as_const(task->request).body())
                                         : std::string_view(task->body);
    GuardedParser& held = *task->parser;
    held.Hold();
    {
      std::lock_guard<std::mutex> lock(held.deferred_mutex);
      held.deferred = true;
      held.pipelined = false;
    }
    if (state_->workers->TrySubmit([task](bool run) { AnswerDeferred(*task, run); })) return true;
    {
      std::lock_guard<std::mutex> lock(held.deferred_mutex);
      held.deferred = false;
    }
    held.Release();
    request = std::move(task->request);
    body = std::move(task->body);
    parser = std::move(task->parser);
    http_request = std::move(task->http);
    http_request.path = request.resource();
    http_request.body =
        body.empty() ? std::string_view(std::as_const(request).body()) : std::string_view(body);
    return false;
  }

  // Runs on a worker: answers `task` (or, when `run` is false because the server stops, drops
  // it) and hands the answer to Pistache.
  static void AnswerDeferred(DeferredRequest& task, bool run) {
    ServiceState& state = *task.state;
    Reply reply;
    size_t bytes = 0;
    if (!run) {
      reply.status = 503;
    } else {
      try {
        reply = DispatchMatched(state.routes, *state.context, task.http, task.route);
        // ResponseStream::flush drains the transport's queue from the calling thread: collect a
        // streamed body whole and send it in one piece instead.
        if (reply.producer && task.http.method != HttpMethod::kHead) {
          std::string piece;
          for (bool more = true; more;) {
            piece.clear();
            more = reply.producer(piece);
            reply.body += piece;
          }
        }
        reply.producer = nullptr;
      } catch (const std::exception& e) {
        reply = ErrorReply(Status::Internal(
            std::string("handler for ") + state.routes.label(task.route) + " threw: " + e.what()));
      }
    }
    {
      std::lock_guard<std::mutex> send_lock(state.send_mutex);
      std::lock_guard<std::mutex> lock(task.parser->deferred_mutex);
      const std::shared_ptr<Peer> peer = task.peer.lock();
      if (run && peer && !state.endpoint_stopped) {
        const bool keep_alive = !task.parser->pipelined && WantsKeepAlive(task.request) &&
                                !state.draining.load(std::memory_order_relaxed);
        try {
          bytes = task.handler->Send(reply, task.http, keep_alive, peer, task.parser,
                                     /*on_reactor=*/false);
        } catch (const std::exception& e) {
          std::cerr << "wangge serve: internal error answering " << task.request.resource() << ": "
                    << e.what() << "\n";
          ::shutdown(peer->fd(), SHUT_RDWR);
          reply.status = 500;
        }
      }
      task.parser->deferred = false;
    }
    Record(state, task.route, task.http.method, task.request.resource(),
           QueryForLog(state, task.http), reply.status, bytes, task.start);
    state.in_flight.fetch_sub(1, std::memory_order_relaxed);
  }

  static std::string QueryForLog(const ServiceState& state, const HttpRequest& request) {
    if (!state.context->options.log_coordinates) return "";
    std::string query;
    for (const auto& [name, value] : request.query) {
      query += query.empty() ? "" : "&";
      query += name + "=" + value;
    }
    return query;
  }

  // Writes `reply` to `peer`, whose parser is `parser` (null when unknown), from the reactor
  // thread or a worker; returns the body bytes sent (after compression). REQUIRES: peer.
  size_t Send(Reply& reply, const HttpRequest& request, bool keep_alive,
              const std::shared_ptr<Peer>& peer, const std::shared_ptr<GuardedParser>& parser,
              bool on_reactor) {
    const bool head_only = request.method == HttpMethod::kHead;  // the GET answer's head only
    if (head_only && reply.producer) {  // a streamed length is not known in advance
      reply.body.clear();
      reply.producer = nullptr;
    }
    const ServerOptions& options = state_->context->options;
    const bool compressible = options.gzip && Compressible(reply.content_type);
    const bool gzip = compressible && AcceptsGzip(request) &&
                      (reply.producer || reply.body.size() >= options.gzip_min_bytes);
    std::string head = Head(reply, keep_alive);
    if (compressible) AppendHeader(head, "Vary", "Accept-Encoding");
    if (gzip) AppendHeader(head, "Content-Encoding", "gzip");

    if (!reply.producer) {
      if (gzip) reply.body = GzipCompress(reply.body);
      AppendWholeBody(head, reply.status, reply.body, head_only);
      WriteLast(std::move(head), keep_alive, peer, parser, on_reactor);
      return head_only ? 0 : reply.body.size();
    }

    // The head, then each piece of the body as one chunk, straight to the transport.
    AppendHeader(head, "Transfer-Encoding", "chunked");
    head += "\r\n";
    const size_t head_size = head.size();
    if (parser) parser->queued_answers.fetch_add(1);
    transport()->asyncWrite(peer->fd(), Pistache::RawBuffer(std::move(head), head_size));
    std::optional<GzipStream> compressor;
    if (gzip) compressor.emplace();
    size_t bytes = 0;
    std::string compressed;
    auto emit = [&](std::string& piece, bool finish) {
      std::string* out = &piece;
      if (compressor) {
        compressed.clear();
        compressor->Write(piece, finish, &compressed);
        out = &compressed;
      }
      if (out->empty()) return;
      bytes += out->size();
      char size_line[24];
      const int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", out->size());
      transport()->asyncWrite(peer->fd(), Pistache::RawBuffer(size_line, static_cast<size_t>(n)));
      *out += "\r\n";
      const size_t length = out->size();
      transport()->asyncWrite(peer->fd(), Pistache::RawBuffer(std::move(*out), length));
      out->clear();
      transport()->flush();
    };
    emit(reply.body, false);
    std::string piece;
    for (bool more = true; more;) {
      piece.clear();
      more = reply.producer(piece);
      emit(piece, !more);
    }
    // The last chunk's promise resolves once everything before it is written.
    QueueLast("0\r\n\r\n", keep_alive, peer, parser);
    transport()->flush();
    return bytes;
  }

  static void Record(ServiceState& state, size_t route, HttpMethod method, std::string_view path,
                     std::string_view query, int status, size_t bytes,
                     std::chrono::steady_clock::time_point start) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.metrics->RecordRequest(route, method, status, seconds);
    AccessLog* log = state.access_log;
    if (!log || !log->enabled()) return;
    std::string line;
    line.reserve(256);
    line += "{\"time\":\"";
    line += UtcTimestamp();
    line += "\",\"method\":\"";
    line += HttpMethodName(method);
    line += "\",\"path\":";
    AppendJsonString(line, path.substr(0, 1024));
    if (!query.empty()) {
      line += ",\"query\":";
      AppendJsonString(line, query.substr(0, 4096));
    }
    line += ",\"route\":";
    AppendJsonString(line, route < state.routes.size() ? std::string_view(state.routes.label(route))
                                                       : std::string_view("unmatched"));
    line += ",\"status\":";
    AppendJsonInt(line, status);
    line += ",\"bytes\":";
    AppendJsonInt(line, static_cast<int64_t>(bytes));
    line += ",\"duration_ms\":";
    AppendJsonNumber(line, static_cast<double>(static_cast<int64_t>(seconds * 1e6)) / 1e3);
    line += '}';
    log->Write(line);
  }

  std::shared_ptr<ServiceState> state_;
};

}  // namespace

WorkerPool::WorkerPool(int threads, size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TrySubmit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::Stop() {
  std::deque<Task> cancelled;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    cancelled.swap(queue_);
  }
  wake_.notify_all();
  for (Task& task : cancelled) task(false);
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void WorkerPool::Run() {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task(true);
  }
}

std::shared_ptr<Pistache::Http::Handler> MakeHttpHandler(std::shared_ptr<ServiceState> state) {
  return std::make_shared<HttpHandler>(std::move(state));
}

}  // namespace wangge::server
