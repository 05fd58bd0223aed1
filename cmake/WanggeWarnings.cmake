# Warnings for wangge's own code only (third-party headers come in as -isystem).
add_library(wangge_warnings INTERFACE)
target_compile_options(wangge_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Woverloaded-virtual -Wold-style-cast
  -Wno-restrict  # GCC 12 false positive in char_traits.h at -O2 (notes/env-feasibility.md)
  -Wno-missing-field-initializers)  # GCC 12 flags designated initializers that rely on defaults
if(WANGGE_DEVELOPER)
  target_compile_options(wangge_warnings INTERFACE -Werror)
endif()
# Boost 1.74 marks some headers Boost.Geometry still includes as deprecated.
target_compile_definitions(wangge_warnings INTERFACE BOOST_ALLOW_DEPRECATED_HEADERS)

add_library(wangge_sanitizers INTERFACE)
if(WANGGE_ENABLE_SANITIZERS)
  target_compile_options(wangge_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(wangge_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
