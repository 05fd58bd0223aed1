#include "support/test_support.h"

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "wangge/geometry/wkt.h"

namespace wangge::testing {

MultiPolygon Wkt(std::string_view wkt) {
  Result<MultiPolygon> m = ParseWkt(wkt);
  if (!m.ok()) {
    std::cerr << "bad WKT in test: " << m.status().ToString() << "\n";
    std::abort();
  }
  return std::move(m).value();
}

std::filesystem::path SourceDir() {
  // The environment wins, so a test binary can run against another checkout.
  if (const char* dir = std::getenv("WANGGE_SOURCE_DIR")) return dir;
  return WANGGE_SOURCE_DIR;
}

std::filesystem::path ScratchDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "test";
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                     ("wangge-tests-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace wangge::testing
