# Every third-party library comes from a Debian package; scripts/setup.sh installs them.
find_package(Threads REQUIRED)
find_package(GEOS 3.11 CONFIG REQUIRED)           # GEOS::geos (C++, from libgeos++-dev), GEOS::geos_c
find_package(PROJ 9 CONFIG REQUIRED)              # PROJ::proj
find_package(GDAL 3.6 CONFIG REQUIRED)            # GDAL::GDAL
find_package(Boost 1.74 REQUIRED)                 # Boost::headers (Boost.Geometry)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)  # nlohmann_json::nlohmann_json
find_package(yaml-cpp CONFIG REQUIRED)            # target yaml-cpp (0.7 has no namespace)
find_package(CLI11 CONFIG REQUIRED)               # CLI11::CLI11
find_package(TBB CONFIG REQUIRED)                 # TBB::tbb
find_package(PkgConfig REQUIRED)
pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET libpistache)  # PkgConfig::PISTACHE
find_path(PROTOZERO_INCLUDE_DIR protozero/pbf_builder.hpp REQUIRED)
add_library(wangge_protozero INTERFACE)
target_include_directories(wangge_protozero SYSTEM INTERFACE ${PROTOZERO_INCLUDE_DIR})
if(WANGGE_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)             # GTest::gtest_main, GTest::gmock
  include(GoogleTest)
endif()
if(WANGGE_BUILD_BENCHMARKS)
  find_package(benchmark CONFIG REQUIRED)         # benchmark::benchmark
endif()
