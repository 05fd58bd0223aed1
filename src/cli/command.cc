#include "cli/command.h"

#include <fstream>
#include <iostream>

namespace wangge::cli {

Status WriteOutput(const std::string& path, std::string_view text) {
  if (path.empty()) {
    std::cout << text;
    return Status::Ok();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace wangge::cli
