#include "wangge/crs/china_offsets.h"

#include <cmath>
#include <numbers>

namespace wangge {
namespace {

using std::numbers::pi;

constexpr double kKrasovskyA = 6378245.0;
constexpr double kKrasovskyE2 = 0.00669342162296594323;
constexpr double kBdXPi = pi * 3000.0 / 180.0;
constexpr double kBdDx = 0.0065;
constexpr double kBdDy = 0.006;

constexpr double kToleranceDeg = 1e-10;
constexpr int kMaxIterations = 30;

// The sine series shared by both offset components, evaluated at u = lon − 105.
double CommonSines(double u) {
  return (20.0 * std::sin(6.0 * pi * u) + 20.0 * std::sin(2.0 * pi * u)) * 2.0 / 3.0;
}

// Returns the GCJ-02 offset in metres-like units (east, north) at u = lon − 105, v = lat − 35.
Point RawOffset(double u, double v) {
  const double common = CommonSines(u);
  const double east =
      300.0 + u + 2.0 * v + 0.1 * u * u + 0.1 * u * v + 0.1 * std::sqrt(std::abs(u)) + common +
      (20.0 * std::sin(pi * u) + 40.0 * std::sin(pi * u / 3.0)) * 2.0 / 3.0 +
      (150.0 * std::sin(pi * u / 12.0) + 300.0 * std::sin(pi * u / 30.0)) * 2.0 / 3.0;
  const double north =
      -100.0 + 2.0 * u + 3.0 * v + 0.2 * v * v + 0.1 * u * v + 0.2 * std::sqrt(std::abs(u)) +
      common + (20.0 * std::sin(pi * v) + 40.0 * std::sin(pi * v / 3.0)) * 2.0 / 3.0 +
      (160.0 * std::sin(pi * v / 12.0) + 320.0 * std::sin(pi * v / 30.0)) * 2.0 / 3.0;
  return {east, north};
}

// Returns the GCJ-02 offset in degrees at a WGS84 point inside the rectangle.
Point OffsetDeg(Point wgs) {
  const Point raw = RawOffset(wgs.x - 105.0, wgs.y - 35.0);
  const double lat_rad = wgs.y * pi / 180.0;
  const double s = std::sin(lat_rad);
  const double w = 1.0 - kKrasovskyE2 * s * s;  // (1 − e² sin²φ)
  const double sqrt_w = std::sqrt(w);
  // Meridian radius M = a(1 − e²)/w^1.5, prime-vertical radius N = a/√w.
  const double meridian = kKrasovskyA * (1.0 - kKrasovskyE2) / (w * sqrt_w);
  const double prime_vertical = kKrasovskyA / sqrt_w;
  return {raw.x * 180.0 / (prime_vertical * std::cos(lat_rad) * pi),
          raw.y * 180.0 / (meridian * pi)};
}

// Solves forward(w) == target for w by fixed-point iteration from `start`.
template <typename Forward>
Point InvertByIteration(Point target, Point start, Forward forward) {
  Point w = start;
  for (int i = 0; i < kMaxIterations; ++i) {
    const Point f = forward(w);
    const double dx = f.x - target.x;
    const double dy = f.y - target.y;
    if (std::abs(dx) < kToleranceDeg && std::abs(dy) < kToleranceDeg) break;
    w.x -= dx;
    w.y -= dy;
  }
  return w;
}

}  // namespace

bool InGcj02Region(Point p) {
  return p.x >= 72.004 && p.x <= 137.8347 && p.y >= 0.8293 && p.y <= 55.8271;
}

Point WgsToGcj02(Point wgs) {
  if (!InGcj02Region(wgs)) return wgs;
  const Point d = OffsetDeg(wgs);
  return {wgs.x + d.x, wgs.y + d.y};
}

Point Gcj02ToWgs(Point gcj) {
  if (!IsFinite(gcj)) return gcj;
  return InvertByIteration(gcj, gcj, WgsToGcj02);
}

Point Gcj02ToBd09(Point gcj) {
  const double z = std::sqrt(gcj.x * gcj.x + gcj.y * gcj.y) + 0.00002 * std::sin(gcj.y * kBdXPi);
  const double theta = std::atan2(gcj.y, gcj.x) + 0.000003 * std::cos(gcj.x * kBdXPi);
  return {z * std::cos(theta) + kBdDx, z * std::sin(theta) + kBdDy};
}

Point Bd09ToGcj02(Point bd) {
  if (!IsFinite(bd)) return bd;
  // The public approximate inverse, used as the starting point.
  const double x = bd.x - kBdDx;
  const double y = bd.y - kBdDy;
  const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * kBdXPi);
  const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kBdXPi);
  return InvertByIteration(bd, Point{z * std::cos(theta), z * std::sin(theta)}, Gcj02ToBd09);
}

Point WgsToBd09(Point wgs) { return Gcj02ToBd09(WgsToGcj02(wgs)); }

Point Bd09ToWgs(Point bd) { return Gcj02ToWgs(Bd09ToGcj02(bd)); }

}  // namespace wangge
