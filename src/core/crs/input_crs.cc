#include "wangge/crs/input_crs.h"

#include <charconv>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "crs/internal/transform_internal.h"
#include "wangge/crs/china_offsets.h"

namespace wangge {
namespace {

using internal::FormatPoint;

constexpr size_t kMaxCachedTransforms = 64;

std::string Lower(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Returns the transform from EPSG:<code> to lon/lat, shared process-wide for the first
// kMaxCachedTransforms codes asked for.
Result<CrsTransform> EpsgToLonLat(int code) {
  struct Cache {
    std::mutex mutex;
    std::unordered_map<int, CrsTransform> transforms;
  };
  static auto* const cache = new Cache;  // never destroyed: threads may outlive static teardown
  {
    std::lock_guard<std::mutex> lock(cache->mutex);
    if (auto it = cache->transforms.find(code); it != cache->transforms.end()) return it->second;
  }
  const std::string name = "EPSG:" + std::to_string(code);
  if (Status s = internal::CheckHorizontalCrs(name); !s.ok()) return s;
  Result<CrsTransform> transform = ToLonLat(name);
  if (!transform.ok()) return transform.status();
  std::lock_guard<std::mutex> lock(cache->mutex);
  if (cache->transforms.size() < kMaxCachedTransforms) cache->transforms.emplace(code, *transform);
  return transform;
}

Status Unknown(std::string_view text) {
  return Status::InvalidArgument(
      "unknown coordinate system \"" + std::string(text) +
      "\": expected wgs84, cgcs2000, gcj02, bd09, bd09ll or EPSG:<code>");
}

bool InRange(Point p) { return std::abs(p.x) <= 180 && std::abs(p.y) <= 90; }

Status NotFinite(Point p) {
  return Status::InvalidArgument("coordinate " + FormatPoint(p) + " is not finite");
}

// Checks a converted point; `crs` names where it came from.
Status CheckResult(std::string_view crs, Point lonlat) {
  if (!IsFinite(lonlat)) {
    return Status::InvalidArgument("lon/lat " + FormatPoint(lonlat) + " from " + std::string(crs) +
                                   " is not finite");
  }
  if (!InRange(lonlat)) {
    return Status::InvalidArgument("lon/lat " + FormatPoint(lonlat) + " from " + std::string(crs) +
                                   " is out of range (|lon| <= 180, |lat| <= 90)");
  }
  return Status::Ok();
}

Status AtIndex(size_t index, const Status& status) {
  return status.WithContext("point " + std::to_string(index));
}

}  // namespace

Result<InputCrs> InputCrs::Parse(std::string_view name_text) {
  const std::string name = Lower(Trim(name_text));
  if (name == "wgs84") return InputCrs(Kind::kLonLat, "wgs84", std::nullopt);
  if (name == "cgcs2000") return InputCrs(Kind::kLonLat, "cgcs2000", std::nullopt);
  if (name == "gcj02") return InputCrs(Kind::kGcj02, "gcj02", std::nullopt);
  if (name == "bd09" || name == "bd09ll") return InputCrs(Kind::kBd09, "bd09", std::nullopt);

  constexpr std::string_view kEpsg = "epsg:";
  if (!name.starts_with(kEpsg)) return Unknown(name_text);
  const char* first = name.data() + kEpsg.size();
  const char* last = name.data() + name.size();
  int code = 0;
  const auto [end, error] = std::from_chars(first, last, code);
  if (first == last || *first == '-' || *first == '+' || error != std::errc() || end != last) {
    return Unknown(name_text);
  }
  std::string canonical = "EPSG:" + std::to_string(code);
  if (code == 4326 || code == 4490) return InputCrs(Kind::kLonLat, canonical, std::nullopt);
  Result<CrsTransform> transform = EpsgToLonLat(code);
  if (!transform.ok()) return transform.status();
  return InputCrs(Kind::kProj, std::move(canonical), std::move(transform).value());
}

Result<Point> InputCrs::ToLonLat(Point p) const {
  if (!IsFinite(p)) return NotFinite(p);
  Point out = p;
  switch (kind_) {
    case Kind::kLonLat:
      break;
    case Kind::kGcj02:
      out = Gcj02ToWgs(p);
      break;
    case Kind::kBd09:
      out = Bd09ToWgs(p);
      break;
    case Kind::kProj: {
      Result<Point> r = transform_->Apply(p);
      if (!r.ok()) return r.status();
      out = *r;
      break;
    }
  }
  if (Status s = CheckResult(name_, out); !s.ok()) return s;
  return out;
}

Status InputCrs::ToLonLat(std::span<Point> points) const {
  switch (kind_) {
    case Kind::kLonLat:
      break;
    case Kind::kGcj02:
    case Kind::kBd09:
      for (size_t i = 0; i < points.size(); ++i) {
        Point& p = points[i];
        if (!IsFinite(p)) return AtIndex(i, NotFinite(p));
        p = kind_ == Kind::kGcj02 ? Gcj02ToWgs(p) : Bd09ToWgs(p);
      }
      break;
    case Kind::kProj:
      if (Status s = transform_->Apply(points); !s.ok()) return s;
      break;
  }
  for (size_t i = 0; i < points.size(); ++i) {
    if (Status s = CheckResult(name_, points[i]); !s.ok()) return AtIndex(i, s);
  }
  return Status::Ok();
}

}  // namespace wangge
