// A minimal blocking HTTP/1.1 client for server tests: real sockets on 127.0.0.1, one connection
// per HttpClient, kept alive across requests. Bodies with Content-Length or chunked encoding.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace wangge::testing {

struct HttpResponse {
  int status = 0;                              // 0 when the connection failed
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request; `extra_headers` are raw "Name: value\r\n" lines.
  HttpResponse Request(const std::string& method, const std::string& target,
                       const std::string& body = "", const std::string& extra_headers = "");
  HttpResponse Get(const std::string& target, const std::string& extra_headers = "") {
    return Request("GET", target, "", extra_headers);
  }
  // Returns true if the last response left the connection open.
  bool connected() const { return fd_ >= 0; }

 private:
  bool Connect();
  void Close();

  uint16_t port_;
  int fd_ = -1;
};

}  // namespace wangge::testing
