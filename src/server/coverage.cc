// GET /v1/coverage: the coverage report of the live snapshot (docs/coverage-report.md), as JSON
// (schema wangge.coverage-report/1) or, with f=geojson or an Accept naming application/geo+json,
// as a GeoJSON FeatureCollection with one feature per defect — the layer a planner's map shows.
#include "server/handlers.h"
#include "server/http_status.h"
#include "server/params.h"
#include "wangge/coverage/report_format.h"

namespace wangge::server {

Reply HandleCoverage(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  const Result<ReportFormat> format = RequestedReportFormat(request);
  if (!format.ok()) return ErrorReply(format.status());
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  if (!snapshot->coverage) {
    return ErrorReply(
        Status::NotFound("the coverage of version " + snapshot->version + " was not checked"));
  }
  Reply reply;
  if (*format == ReportFormat::kGeoJson) {
    reply.content_type = "application/geo+json";
    reply.body = FormatReportGeoJson(*snapshot->coverage);
  } else {
    reply.body = FormatReportJson(*snapshot->coverage);
  }
  reply.headers.emplace_back("Wangge-Dataset-Version", snapshot->version);
  reply.headers.emplace_back("Vary", "Accept");
  return reply;
}

}  // namespace wangge::server
