#include "wangge/base/parse_double.h"

#include <cstdint>

namespace wangge {
namespace {

constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr uint64_t kExactLimit = uint64_t{1} << 53;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::from_chars_result ParseDouble(const char* first, const char* last, double& value) {
  const char* p = first;
  const bool negative = p != last && *p == '-';
  if (negative) ++p;
  uint64_t mantissa = 0;
  int digits = 0;  // significant digits read (leading zeros of the integer part do not count)
  const char* const integer_begin = p;
  for (; p != last && IsDigit(*p); ++p) {
    mantissa = mantissa * 10 + static_cast<uint64_t>(*p - '0');
    digits += mantissa != 0;
  }
  const bool has_integer = p != integer_begin;
  int fraction = 0;
  if (p != last && *p == '.') {
    const char* const fraction_begin = ++p;
    for (; p != last && IsDigit(*p); ++p) {
      mantissa = mantissa * 10 + static_cast<uint64_t>(*p - '0');
      digits += mantissa != 0;
    }
    fraction = static_cast<int>(p - fraction_begin);
  }
  const bool plain = (has_integer || fraction > 0) && digits <= 19 && mantissa < kExactLimit &&
                     fraction <= 22 && (p == last || (*p != 'e' && *p != 'E'));
  if (!plain) return std::from_chars(first, last, value);
  const double magnitude = static_cast<double>(mantissa) / kPowersOfTen[fraction];
  value = negative ? -magnitude : magnitude;
  return {p, std::errc()};
}

}  // namespace wangge
