// The bodies POST /v1/locate accepts, parsed into points to locate (the answer is written in the
// same format, see locate.cc):
//   JSON array      [[lon, lat], [lon, lat, z], {"id": 7, "lon": ..., "lat": ...}, ...]
//                   (content type application/json; an element's other members are ignored;
//                   an id may be a string, a number or null and is echoed back verbatim)
//   GeoJSON         a FeatureCollection of Point features (application/geo+json, or
//                   application/json starting with '{'); a feature with a null geometry is
//                   answered with status "invalid"; any other geometry type is refused
//   CSV             text/csv, the input of `wangge locate`: a header naming the columns id, lon
//                   and lat (any order, other columns ignored), or no header and the columns
//                   id,lon,lat; fields may be quoted as in RFC 4180
// The JSON array and CSV forms are scanned without building a document (a million points is ~30
// MB of JSON); a GeoJSON feature is parsed on its own, one at a time.
//
// Errors: malformed syntax is kInvalidArgument (400) with the byte offset or line; well-formed
// input of the wrong shape or type (a string where a number belongs, a LineString feature) is
// kDataError (422) naming the point's index or line. A NaN or infinite coordinate in CSV is not
// an error: that point is answered "invalid".
//
//   Result<PointBatch> batch = ParseJsonBatch(body);
//   for (size_t i = 0; i < batch->points.size(); ++i) Locate(batch->points[i]);
//
// Thread safety: reentrant. A PointBatch refers into the body it was parsed from.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "server/http_types.h"
#include "wangge/base/result.h"
#include "wangge/geometry/point.h"

namespace wangge::server {

struct PointBatch {
  enum class Format { kJsonArray, kGeoJson, kCsv };
  Format format = Format::kJsonArray;
  std::vector<Point> points;
  // kJsonArray: each point's "id" as raw JSON text, "" when it has none. kCsv: each line's id
  // field as written (quotes included when quoted; "" without an id column). Empty for kGeoJson.
  std::vector<std::string_view> ids;
  // kGeoJson: each feature's JSON text, and the FeatureCollection's members other than "type"
  // and "features" as raw `"name":value` text (kept in the answer).
  std::vector<std::string_view> features;
  std::vector<std::string_view> members;
};

// Parses a JSON body: an array of points or a GeoJSON FeatureCollection.
Result<PointBatch> ParseJsonBatch(std::string_view body);

// Parses a CSV body of id,lon,lat lines.
Result<PointBatch> ParseCsvBatch(std::string_view body);

// Parses `request`'s body by its Content-Type (application/json or application/geo+json: JSON;
// text/csv: CSV). On failure returns nullopt and sets `error` to the answer: 415 for another
// content type, else the parse error.
std::optional<PointBatch> ReadPointBatch(const HttpRequest& request, Reply* error);

}  // namespace wangge::server
