// The one place where an outcome becomes an HTTP status (DESIGN.md: each front end translates a
// Status in exactly one place). Errors are JSON {"error": {"code", "message"}}:
//
//   core StatusCode       HTTP  error.code
//   kInvalidArgument      400   invalid_argument     malformed input: bad number, bad JSON, bad CRS
//   kNotFound             404   not_found            no such route, level or region code
//   kDataError            422   data_error           well-formed input of the wrong shape or type
//   kFailedPrecondition   409   failed_precondition
//   kResourceExhausted    413   resource_exhausted   a size limit of the core
//   kUnimplemented        501   unimplemented
//   kIoError, kInternal   500   internal             the message is logged, never sent
// and the protocol errors no core Status describes (HttpError below): 400 bad_request (malformed
// HTTP), 401 unauthorized, 403 forbidden, 405 method_not_allowed, 408 request_timeout,
// 413 payload_too_large, 415 unsupported_media_type, 431 request_header_fields_too_large,
// 503 unavailable.
//
//   if (!result.ok()) return ErrorReply(result.status());
//
// Thread safety: reentrant.
#pragma once

#include <string_view>

#include "server/http_types.h"
#include "wangge/base/status.h"

namespace wangge::server {

enum class HttpError {
  kBadRequest,            // 400: the HTTP message itself is malformed
  kUnauthorized,          // 401: no API key, or an unknown one, where one is needed
  kForbidden,             // 403: the API key lacks the role
  kMethodNotAllowed,      // 405
  kRequestTimeout,        // 408
  kPayloadTooLarge,       // 413: the body exceeds the configured limit
  kUnsupportedMediaType,  // 415
  kHeadersTooLarge,       // 431: the request line and headers exceed the configured limit
  kUnavailable,           // 503: e.g. shutting down
};

// Returns the HTTP status code for `code`. REQUIRES: code != kOk.
int HttpStatusFor(StatusCode code);

// Returns the JSON error reply for a non-OK status.
Reply ErrorReply(const Status& status);

// Returns the JSON error reply for a protocol error.
Reply ErrorReply(HttpError error, std::string_view message);

// Returns the body {"error":{"code":..., "message":...}}.
std::string ErrorBody(std::string_view code, std::string_view message);

}  // namespace wangge::server
