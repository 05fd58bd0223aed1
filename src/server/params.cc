#include "server/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "wangge/base/parse_double.h"

namespace wangge::server {
namespace {

std::string Quote(std::string_view text) {
  std::string out = "\"";
  out += text.substr(0, 64);
  if (text.size() > 64) out += "...";
  return out + "\"";
}

}  // namespace

Status CheckQueryParams(const HttpRequest& request,
                        std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : request.query) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == name;
    if (known) continue;
    std::string list;
    for (std::string_view a : allowed) {
      if (!list.empty()) list += ", ";
      list += a;
    }
    return Status::InvalidArgument("unknown query parameter " + Quote(name) +
                                   " (known: " + (list.empty() ? "none" : list) + ")");
  }
  return Status::Ok();
}

Result<double> ParseNumber(std::string_view name, std::string_view text) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  // from_chars also reads "nan" and "inf"; a number here starts with a digit, '-' or '.'.
  const bool starts_like_number =
      !text.empty() &&
      (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '.');
  const auto result = ParseDouble(begin, end, value);
  if (!starts_like_number || result.ec != std::errc() || result.ptr != end ||
      !std::isfinite(value)) {
    return Status::InvalidArgument(std::string(name) + " must be a finite number, got " +
                                   Quote(text));
  }
  return value;
}

Result<double> RequiredNumber(const HttpRequest& request, std::string_view name) {
  const std::optional<std::string_view> text = request.Query(name);
  if (!text) return Status::InvalidArgument("missing query parameter " + Quote(name));
  return ParseNumber(name, *text);
}

Result<size_t> OptionalCount(const HttpRequest& request, std::string_view name, size_t fallback,
                             size_t min, size_t max) {
  const std::optional<std::string_view> text = request.Query(name);
  if (!text) return fallback;
  uint64_t value = 0;
  const auto result = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || result.ec == std::errc::invalid_argument ||
      result.ptr != text->data() + text->size()) {
    return Status::InvalidArgument(std::string(name) + " must be a non-negative integer, got " +
                                   Quote(*text));
  }
  if (result.ec == std::errc::result_out_of_range) value = UINT64_MAX;
  if (value < min) {
    return Status::InvalidArgument(std::string(name) + " must be at least " + std::to_string(min));
  }
  return static_cast<size_t>(std::min<uint64_t>(value, max));
}

Result<Box> ParseBbox(std::string_view text) {
  std::vector<double> numbers;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    const std::string_view part = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    Result<double> number = ParseNumber("bbox", part);
    if (!number.ok()) {
      return Status::InvalidArgument("bbox must be minLon,minLat,maxLon,maxLat, got " +
                                     Quote(text));
    }
    numbers.push_back(*number);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (numbers.size() != 4 && numbers.size() != 6) {
    return Status::InvalidArgument("bbox must have 4 numbers (or 6 with heights), got " +
                                   std::to_string(numbers.size()));
  }
  const size_t half = numbers.size() / 2;
  Box box{numbers[0], numbers[1], numbers[half], numbers[half + 1]};
  if (box.min_x < -180 || box.max_x > 180 || box.min_y < -90 || box.max_y > 90) {
    return Status::InvalidArgument("bbox must lie within lon -180..180, lat -90..90");
  }
  if (box.min_x > box.max_x || box.min_y > box.max_y) {
    return Status::InvalidArgument(
        "bbox minimum must not exceed its maximum (a box across the antimeridian is not "
        "supported)");
  }
  return box;
}

Result<ReportFormat> RequestedReportFormat(const HttpRequest& request) {
  if (std::optional<std::string_view> f = request.Query("f")) {
    if (*f == "json") return ReportFormat::kJson;
    if (*f == "geojson") return ReportFormat::kGeoJson;
    return Status::InvalidArgument("f must be json or geojson");
  }
  const std::string_view accept = request.Header("accept").value_or("");
  return accept.find("application/geo+json") != std::string_view::npos ? ReportFormat::kGeoJson
                                                                       : ReportFormat::kJson;
}

}  // namespace wangge::server
