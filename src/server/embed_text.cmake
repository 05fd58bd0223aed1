# cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=Name -P embed_text.cmake
# Writes OUTPUT, a C++ file defining `std::string_view wangge::server::SYMBOL()` that returns the
# text of INPUT (used to serve api/openapi.yaml from the binary).
file(READ "${INPUT}" text)
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${name} by src/server/embed_text.cmake; do not edit.\n"
  "#include <string_view>\n\n"
  "namespace wangge::server {\n\n"
  "std::string_view ${SYMBOL}() {\n"
  "  static constexpr std::string_view kText = R\"wangge_embedded(${text})wangge_embedded\";\n"
  "  return kText;\n"
  "}\n\n"
  "}  // namespace wangge::server\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
