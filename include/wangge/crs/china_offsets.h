// GCJ-02 and BD-09: the offset coordinate systems of Chinese web maps and phone SDKs, which PROJ
// and EPSG do not define. GCJ-02 ("火星坐标": AMap 高德, Tencent, Google China) is WGS84 plus a
// deliberate offset of 20–700 m; BD-09 (Baidu) is GCJ-02 plus a further ~1 km polar perturbation.
// The offset is larger than a grid, so a report in the wrong system lands in the wrong grid.
//
// Forward formulas are the public ones:
//   GCJ-02: Δ = f(lon − 105, lat − 35), a polynomial plus sine series in metres, turned into
//           degrees on the Krasovsky ellipsoid (a = 6378245 m, e² = 0.00669342162296594323).
//   BD-09:  z = r + 2e-5·sin(lat·x_pi), θ = atan2(lat, lon) + 3e-6·cos(lon·x_pi) with
//           x_pi = π·3000/180, r = |(lon, lat)|, then (z·cosθ + 0.0065, z·sinθ + 0.006).
// Neither has a closed-form inverse; the inverses here iterate on the forward formula
// (w ← w − (F(w) − target)) until the forward image of the answer is within 1e-10° (~0.01 mm) of
// the input, at most 30 steps; 2–4 suffice across China (200,000 random points measured). So
// WgsToGcj02(Gcj02ToWgs(g)) == g and Gcj02ToWgs(WgsToGcj02(w)) == w to well under 1 mm.
//
// Where the offset applies: GCJ-02 is applied only inside the rectangle
//   72.004 ≤ lon ≤ 137.8347, 0.8293 ≤ lat ≤ 55.8271   (the one eviltransform and its copies use);
// outside it WgsToGcj02 and Gcj02ToWgs are the identity. Neighbouring land inside the rectangle
// (Korea, Mongolia, parts of Southeast Asia) is offset too, as in the published implementations.
// The BD-09 perturbation is applied everywhere, as the published formula does, so outside the
// rectangle WgsToBd09 is the BD-09 perturbation alone. Near the rectangle's edge the forward map
// jumps; a point whose preimage is ambiguous there gets the iteration's last estimate.
//
//   Point wgs = Gcj02ToWgs({116.42703, 39.90245});   // ≈ (116.42079, 39.90105)
//   Point bd = WgsToBd09(wgs);                       // ≈ (116.43351, 39.90851)
//
// Points are (x = lon, y = lat) in degrees. A non-finite input gives a non-finite output; callers
// validate (see InputCrs).
// Thread safety: pure functions, reentrant.
#pragma once

#include "wangge/geometry/point.h"

namespace wangge {

// Returns true if the GCJ-02 offset applies at `p` (lon/lat degrees): inside the closed rectangle
// above.
bool InGcj02Region(Point p);

// Converts WGS84 (or CGCS2000) lon/lat to GCJ-02; the identity outside the GCJ-02 rectangle.
Point WgsToGcj02(Point wgs);
// Converts GCJ-02 to WGS84 lon/lat by iterating on WgsToGcj02.
Point Gcj02ToWgs(Point gcj);

// Converts GCJ-02 to BD-09 (the public forward formula, applied everywhere).
Point Gcj02ToBd09(Point gcj);
// Converts BD-09 to GCJ-02 by iterating on Gcj02ToBd09 (starting from the public approximate
// inverse, whose own error reaches 0.2 m).
Point Bd09ToGcj02(Point bd);

// Converts WGS84 to BD-09: Gcj02ToBd09(WgsToGcj02(wgs)).
Point WgsToBd09(Point wgs);
// Converts BD-09 to WGS84: Gcj02ToWgs(Bd09ToGcj02(bd)).
Point Bd09ToWgs(Point bd);

}  // namespace wangge
