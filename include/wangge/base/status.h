// Status: the outcome of a core operation that can fail, with a code and a message naming what
// and where (file, layer, feature, region code). The core never throws; exceptions from GDAL,
// GEOS or PROJ stop at the file that calls them and become a Status with context. Each front end
// translates a Status in exactly one place (src/server/http_status.cc, src/cli/main.cc).
//
//   Status s = LoadDataset(path, options, &dataset);
//   if (!s.ok()) std::cerr << s.ToString() << "\n";
//
// Coverage findings are not errors: they are data in a CoverageReport.
// Thread safety: a Status is an immutable value; copies may be used from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace wangge {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed (bad CRS name, NaN coordinate, bad z/x/y)
  kNotFound,            // a named thing does not exist (file, layer, region code)
  kIoError,             // the file system or a data source failed to read or write
  kDataError,           // a source was read but its content is unusable (no layers, bad geometry)
  kFailedPrecondition,  // the operation is not allowed in the current state
  kResourceExhausted,   // a size limit was exceeded
  kUnimplemented,       // a valid request for something not supported
  kInternal,            // a bug: an invariant did not hold
};

// Returns the stable lower-case name of a code, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // Creates an OK status; costs nothing.
  Status() noexcept = default;
  Status(StatusCode code, std::string_view message);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) { return {StatusCode::kInvalidArgument, msg}; }
  static Status NotFound(std::string_view msg) { return {StatusCode::kNotFound, msg}; }
  static Status IoError(std::string_view msg) { return {StatusCode::kIoError, msg}; }
  static Status DataError(std::string_view msg) { return {StatusCode::kDataError, msg}; }
  static Status FailedPrecondition(std::string_view msg) {
    return {StatusCode::kFailedPrecondition, msg};
  }
  static Status ResourceExhausted(std::string_view msg) {
    return {StatusCode::kResourceExhausted, msg};
  }
  static Status Unimplemented(std::string_view msg) { return {StatusCode::kUnimplemented, msg}; }
  static Status Internal(std::string_view msg) { return {StatusCode::kInternal, msg}; }

  [[nodiscard]] bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  // Returns the message; empty for OK.
  std::string_view message() const;
  // Returns "ok" or "<code name>: <message>".
  std::string ToString() const;
  // Returns a copy whose message is prefixed by `context` and ": ", e.g. the file name.
  Status WithContext(std::string_view context) const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const State> state_;  // null when OK
};

}  // namespace wangge
