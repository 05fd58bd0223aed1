#include "locate/internal/exact_predicates.h"

#include <array>
#include <cmath>

namespace wangge::internal {
namespace {

// Error-free transformations: hi + lo equals the exact result, hi is its rounding.
struct Pair {
  double hi;
  double lo;
};

Pair TwoSum(double a, double b) {
  const double s = a + b;
  const double bb = s - a;
  const double aa = s - bb;
  return {s, (a - aa) + (b - bb)};
}

Pair TwoProduct(double a, double b) {
  const double p = a * b;
  return {p, std::fma(a, b, -p)};
}

// An expansion: a sum of doubles whose components do not overlap and grow in magnitude, so its
// sign is the sign of its largest (last) component.
class Expansion {
 public:
  // Adds `b` exactly, dropping zero components.
  void Add(double b) {
    int out = 0;
    double q = b;
    for (int i = 0; i < size_; ++i) {
      const Pair s = TwoSum(q, parts_[static_cast<size_t>(i)]);
      if (s.lo != 0) parts_[static_cast<size_t>(out++)] = s.lo;
      q = s.hi;
    }
    if (q != 0) parts_[static_cast<size_t>(out++)] = q;
    size_ = out;
  }
  int Sign() const {
    if (size_ == 0) return 0;
    return parts_[static_cast<size_t>(size_ - 1)] > 0 ? 1 : -1;
  }

 private:
  // Each Add grows the expansion by at most one component; 16 Adds fit.
  std::array<double, 40> parts_{};
  int size_ = 0;
};

}  // namespace

int OrientSignExact(const Point& a, const Point& b, const Point& c) {
  // (bx - ax)(cy - ay) - (by - ay)(cx - ax), each difference split exactly into two doubles.
  const Pair bx = TwoSum(b.x, -a.x);
  const Pair cy = TwoSum(c.y, -a.y);
  const Pair by = TwoSum(b.y, -a.y);
  const Pair cx = TwoSum(c.x, -a.x);
  const std::array<double, 2> l1 = {bx.hi, bx.lo};
  const std::array<double, 2> l2 = {cy.hi, cy.lo};
  const std::array<double, 2> r1 = {by.hi, by.lo};
  const std::array<double, 2> r2 = {cx.hi, cx.lo};
  Expansion sum;
  for (double u : l1) {
    for (double v : l2) {
      const Pair p = TwoProduct(u, v);
      sum.Add(p.lo);
      sum.Add(p.hi);
    }
  }
  for (double u : r1) {
    for (double v : r2) {
      const Pair p = TwoProduct(u, v);
      sum.Add(-p.lo);
      sum.Add(-p.hi);
    }
  }
  return sum.Sign();
}

}  // namespace wangge::internal
