#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace wangge::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool HttpClient::Connect() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    Close();
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval timeout{30, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return true;
}

HttpResponse HttpClient::Request(const std::string& method, const std::string& target,
                                 const std::string& body, const std::string& extra_headers) {
  HttpResponse response;
  if (fd_ < 0 && !Connect()) return response;
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      Close();
      return response;
    }
    sent += static_cast<size_t>(n);
  }

  std::string buffer;
  auto read_more = [&]() {
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!read_more()) {
      Close();
      return response;
    }
  }
  const std::string head = buffer.substr(0, header_end);
  buffer.erase(0, header_end + 4);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  response.status = std::atoi(status_line.c_str() + status_line.find(' ') + 1);
  while (line_end != std::string::npos) {
    const size_t next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(line_end + 2, next - line_end - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers[Lower(line.substr(0, colon))] = value;
    }
    line_end = next;
  }

  if (Lower(response.header("transfer-encoding")) == "chunked") {
    for (;;) {
      size_t size_end;
      while ((size_end = buffer.find("\r\n")) == std::string::npos) {
        if (!read_more()) break;
      }
      if (size_end == std::string::npos) break;
      const size_t size = std::stoul(buffer.substr(0, size_end), nullptr, 16);
      while (buffer.size() < size_end + 2 + size + 2) {
        if (!read_more()) break;
      }
      response.body += buffer.substr(size_end + 2, size);
      buffer.erase(0, std::min(buffer.size(), size_end + 2 + size + 2));
      if (size == 0) break;
    }
  } else if (!response.header("content-length").empty()) {
    const size_t length = std::stoul(response.header("content-length"));
    while (buffer.size() < length && read_more()) {
    }
    response.body = buffer.substr(0, length);
  } else if (method != "HEAD" && response.status != 204 && response.status != 304) {
    while (read_more()) {
    }
    response.body = buffer;
    Close();
  }
  if (Lower(response.header("connection")) == "close") Close();
  return response;
}

}  // namespace wangge::testing
