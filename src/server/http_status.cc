#include "server/http_status.h"

#include <iostream>

#include "server/json_text.h"

namespace wangge::server {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kDataError:
      return 422;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnimplemented:
      return 501;
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  std::string body = "{\"error\":{\"code\":";
  AppendJsonString(body, code);
  body += ",\"message\":";
  AppendJsonString(body, message);
  body += "}}";
  return body;
}

Reply ErrorReply(const Status& status) {
  Reply reply;
  reply.status = HttpStatusFor(status.code());
  if (reply.status == 500) {
    std::cerr << "wangge serve: internal error: " << status.ToString() << "\n";
    reply.body = ErrorBody("internal", "internal error");
  } else {
    reply.body = ErrorBody(StatusCodeName(status.code()), status.message());
  }
  return reply;
}

Reply ErrorReply(HttpError error, std::string_view message) {
  Reply reply;
  std::string_view code;
  switch (error) {
    case HttpError::kBadRequest:
      reply.status = 400;
      code = "bad_request";
      break;
    case HttpError::kUnauthorized:
      reply.status = 401;
      code = "unauthorized";
      break;
    case HttpError::kForbidden:
      reply.status = 403;
      code = "forbidden";
      break;
    case HttpError::kMethodNotAllowed:
      reply.status = 405;
      code = "method_not_allowed";
      break;
    case HttpError::kRequestTimeout:
      reply.status = 408;
      code = "request_timeout";
      break;
    case HttpError::kPayloadTooLarge:
      reply.status = 413;
      code = "payload_too_large";
      break;
    case HttpError::kUnsupportedMediaType:
      reply.status = 415;
      code = "unsupported_media_type";
      break;
    case HttpError::kHeadersTooLarge:
      reply.status = 431;
      code = "request_header_fields_too_large";
      break;
    case HttpError::kUnavailable:
      reply.status = 503;
      code = "unavailable";
      break;
  }
  reply.body = ErrorBody(code, message);
  return reply;
}

}  // namespace wangge::server
