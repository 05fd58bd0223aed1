// ParseDouble against the standard library's from_chars (the oracle) on written coordinates,
// random decimals of every length around the fast path's limits, and malformed text.
#include "wangge/base/parse_double.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace wangge {
namespace {

// Expects ParseDouble and std::from_chars to agree on `text`: the same bits, end and error.
void ExpectSameAsFromChars(const std::string& text) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  double ours = -12345.0, theirs = -12345.0;
  const std::from_chars_result a = ParseDouble(first, last, ours);
  const std::from_chars_result b = std::from_chars(first, last, theirs);
  ASSERT_EQ(a.ec, b.ec) << '"' << text << '"';
  ASSERT_EQ(a.ptr - first, b.ptr - first) << '"' << text << '"';
  if (std::isnan(theirs)) {
    EXPECT_TRUE(std::isnan(ours)) << '"' << text << '"';
  } else {
    EXPECT_EQ(std::bit_cast<uint64_t>(ours), std::bit_cast<uint64_t>(theirs))
        << '"' << text << "\": " << ours << " vs " << theirs;
  }
}

TEST(ParseDouble, AgreesWithFromCharsOnWrittenCoordinates) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> lon(-180, 180), lat(-90, 90);
  char text[64];
  for (int i = 0; i < 200000; ++i) {
    const int decimals = i % 17;
    std::snprintf(text, sizeof text, "%.*f", decimals, i % 2 ? lon(random) : lat(random));
    ExpectSameAsFromChars(text);
  }
}

TEST(ParseDouble, AgreesWithFromCharsAroundTheFastPathLimits) {
  std::mt19937_64 random(11);
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    if (random() % 4 == 0) text += '-';
    const int integer_digits = static_cast<int>(random() % 21);
    const int fraction_digits = static_cast<int>(random() % 26);
    for (int d = 0; d < integer_digits; ++d) text += static_cast<char>('0' + random() % 10);
    if (fraction_digits > 0 || random() % 3 == 0) text += '.';
    for (int d = 0; d < fraction_digits; ++d) text += static_cast<char>('0' + random() % 10);
    if (random() % 8 == 0) text += ",1";  // the field ends before the text does
    ExpectSameAsFromChars(text);
  }
  // 2^53 and its neighbours, 19 and 20 significant digits, leading zeros, 22 and 23 decimals.
  for (const char* text :
       {"9007199254740991", "9007199254740992", "9007199254740993", "900719925474099.3",
        "1234567890123456789", "12345678901234567890", "0000000000000000000000000001.5",
        "0.0000000000000000000001", "0.00000000000000000000001", "1.0000000000000000000001",
        "119.2360751", "25.4183149", "-0.0", "0", "-0", "5.", ".5", "-.5", "007"}) {
    ExpectSameAsFromChars(text);
  }
}

TEST(ParseDouble, LeavesWhatIsNotAPlainDecimalToFromChars) {
  for (const char* text :
       {"",      "-",       ".",   "-.",        "+1",  "1e5",    "1E-3",  "2.5e",
        "1e999", "-1e-999", "inf", "-infinity", "nan", "NaN(1)", "0x1p3", "1.2.3",
        "1,5",   " 1",      "1 ",  "abc",       "--1", "1-"}) {
    ExpectSameAsFromChars(text);
  }
}

}  // namespace
}  // namespace wangge
