// Chinese names for synthetic regions: towns ("…街道"/"…镇"), communities ("…社区"/"…村"), grid
// heads (网格长) and fictitious phone numbers, drawn deterministically from a seed.
//
//   NameMaker names(seed);
//   std::string town = names.Town(/*street=*/true);   // e.g. "锦华街道", unique per maker
//
// Thread safety: a NameMaker is a plain value; use one per thread.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "synth/internal/prng.h"

namespace wangge::internal {

class NameMaker {
 public:
  explicit NameMaker(uint64_t seed) : rng_(seed) {}

  // Returns a town name unique within this maker: "XY街道" or "XY镇".
  std::string Town(bool street);
  // Returns a community name unique within this maker: "XY社区" or "XY村".
  std::string Community(bool urban);
  // Returns a person's name, e.g. "林志明".
  std::string Person();
  // Returns a fictitious phone number "0594-0ddddddd" (no Putian number starts with 0).
  std::string Phone();

 private:
  std::string Unique(const char* const* first, size_t nfirst, const char* const* second,
                     size_t nsecond, const char* suffix);

  Rng rng_;
  std::set<std::string> used_;
};

}  // namespace wangge::internal
