# wangge_module(NAME SOURCES a.cc b.cc DEPS other_module [PUBLIC_DEPS target] PRIVATE_DEPS GDAL::GDAL)
# (PUBLIC_DEPS: imported targets the module's public headers include.)
# One static library per core module (wangge_<NAME>), so that a module builds and tests on its
# own; `wangge_core` bundles them all. Public headers live in include/wangge/<NAME>/.
function(wangge_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target wangge_${name})
  add_library(${target} STATIC ${M_SOURCES})
  target_include_directories(${target}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src/core)
  target_compile_features(${target} PUBLIC cxx_std_20)
  list(TRANSFORM M_DEPS PREPEND wangge_ OUTPUT_VARIABLE module_deps)
  target_link_libraries(${target}
    PUBLIC ${module_deps} ${M_PUBLIC_DEPS} wangge_sanitizers
    PRIVATE wangge_warnings ${M_PRIVATE_DEPS})
  set_property(GLOBAL APPEND PROPERTY WANGGE_MODULES ${target})
endfunction()

# wangge_test(NAME SOURCES a_test.cc DEPS module LIBS extra LABELS unit)
# One GoogleTest executable per test file group, its cases registered with ctest.
function(wangge_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  list(TRANSFORM T_DEPS PREPEND wangge_ OUTPUT_VARIABLE module_deps)
  target_link_libraries(${name} PRIVATE ${module_deps} ${T_LIBS} wangge_test_support
    GTest::gtest_main GTest::gmock wangge_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/core ${PROJECT_SOURCE_DIR}/tests)
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  # The directories are baked in (support/test_support.h) rather than passed as ENVIRONMENT:
  # gtest_discover_tests splits list-valued PROPERTIES, so only one single-valued property is safe.
  target_compile_definitions(${name} PRIVATE
    WANGGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" WANGGE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  list(JOIN T_LABELS "\\;" labels)
  gtest_discover_tests(${name} PROPERTIES LABELS "${labels}" DISCOVERY_TIMEOUT 60)
endfunction()
