#include "server/handlers.h"
#include "server/http_status.h"
#include "server/json_text.h"
#include "server/params.h"

namespace wangge::server {

Reply HandleHealthz(const Context&, const HttpRequest&) {
  Reply reply;
  reply.body = R"({"status":"ok"})";
  return reply;
}

Reply HandleReadyz(const Context& context, const HttpRequest&) {
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  const bool draining = context.draining && context.draining->load(std::memory_order_relaxed);
  const bool empty = snapshot->version.empty();  // a store without a version yet
  Reply reply;
  reply.status = draining || empty ? 503 : 200;
  reply.body = draining ? "{\"status\":\"shutting_down\""
               : empty  ? "{\"status\":\"no_version\""
                        : "{\"status\":\"ready\"";
  reply.body += ",\"version\":";
  AppendJsonString(reply.body, snapshot->version);
  reply.body += ",\"regions\":";
  AppendJsonInt(reply.body, static_cast<int64_t>(snapshot->hierarchy().region_count()));
  if (context.publisher) {
    // The store's side: the version it holds live (which may still be building) and the last
    // failed build, if any.
    const PublisherState state = context.publisher->state();
    reply.body += ",\"store\":{\"live\":";
    AppendJsonString(reply.body, state.live);
    reply.body += ",\"building\":";
    AppendJsonString(reply.body, state.building);
    reply.body += ",\"last_error\":";
    AppendJsonString(reply.body, state.last_error);
    reply.body += '}';
  }
  reply.body += '}';
  return reply;
}

Reply HandleMetrics(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  Reply reply;
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  const int64_t in_flight = context.in_flight ? context.in_flight->load() : 0;
  reply.body = context.metrics->Render(*snapshot, in_flight);
  if (context.publisher) AppendPublisherMetrics(context.publisher->state(), reply.body);
  return reply;
}

}  // namespace wangge::server
