// Portable pseudo-random numbers for synth: the same seed gives the same bits with any compiler
// and standard library (std::uniform_*_distribution does not promise that, so it is not used).
//
//   Rng rng(Mix(seed, kStreamSeeds));
//   double u = rng.Uniform();          // [0, 1)
//   uint64_t k = rng.Below(10);        // 0..9
//
// Thread safety: an Rng is a plain value; give each thread (or each item) its own stream.
#pragma once

#include <bit>
#include <cstdint>
#include <initializer_list>

namespace wangge::internal {

// SplitMix64 finaliser: a bijective 64-bit mixer.
inline uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Hashes a list of words into one (order matters).
inline uint64_t Mix(std::initializer_list<uint64_t> words) {
  uint64_t h = 0x6a09e667f3bcc909ull;
  for (uint64_t w : words) h = SplitMix(h ^ SplitMix(w));
  return h;
}

// Returns the bits of a double, with -0.0 folded into +0.0.
inline uint64_t Bits(double d) { return std::bit_cast<uint64_t>(d == 0 ? 0.0 : d); }

// xoshiro256** (Blackman & Vigna), seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) {
      seed += 0x9e3779b97f4a7c15ull;
      s = SplitMix(seed);
    }
  }

  uint64_t Next() {
    const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }
  // Returns a double in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Returns a double in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Returns an integer in [0, n). REQUIRES: 0 < n < 2^53.
  uint64_t Below(uint64_t n) {
    const auto k = static_cast<uint64_t>(Uniform() * static_cast<double>(n));
    return k < n ? k : n - 1;
  }

 private:
  uint64_t s_[4];
};

}  // namespace wangge::internal
