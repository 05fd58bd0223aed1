#include "server/server_fixture.h"

#include <cerrno>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge::testing {

Dataset GridDataset() {
  HierarchyBuilder b({{"district", "区县"}, {"grid", "网格"}, {"unit", "单元"}});
  b.SetAttributeNames(2, {"households"});
  b.Add({.level = 0,
         .code = "350302",
         .name = "城厢区",
         .geometry = Wkt("POLYGON ((119.00 25.40, 119.02 25.40, 119.04 25.40, 119.04 25.41, "
                         "119.04 25.42, 119.03 25.42, 119.025 25.42, 119.02 25.42, 119.00 25.42, "
                         "119.00 25.41, 119.00 25.40))")});
  b.Add({.level = 1,
         .code = "350302001",
         .parent = "350302",
         .name = "第1网格",
         .geometry = Wkt("POLYGON ((119.00 25.40, 119.02 25.40, 119.02 25.41, 119.02 25.42, "
                         "119.00 25.42, 119.00 25.41, 119.00 25.40))")});
  b.Add({.level = 1,
         .code = "350302002",
         .parent = "350302",
         .name = "第2网格",
         .geometry = Wkt("POLYGON ((119.02 25.40, 119.04 25.40, 119.04 25.41, 119.04 25.42, "
                         "119.03 25.42, 119.025 25.42, 119.02 25.42, 119.02 25.41, "
                         "119.02 25.40))")});
  b.Add({.level = 2,
         .code = "350302001001",
         .parent = "350302001",
         .name = "第1单元",
         .attributes = {"31"},
         .geometry = Wkt("POLYGON ((119.00 25.40, 119.02 25.40, 119.02 25.41, 119.00 25.41, "
                         "119.00 25.40))")});
  b.Add({.level = 2,
         .code = "350302001002",
         .parent = "350302001",
         .name = "第2单元",
         .attributes = {"42"},
         .geometry = Wkt("POLYGON ((119.00 25.41, 119.02 25.41, 119.02 25.42, 119.00 25.42, "
                         "119.00 25.41))")});
  b.Add({.level = 2,
         .code = "350302002001",
         .parent = "350302002",
         .name = "第3单元",
         .attributes = {"27"},
         .geometry = Wkt("POLYGON ((119.02 25.40, 119.04 25.40, 119.04 25.41, 119.04 25.42, "
                         "119.03 25.42, 119.03 25.41, 119.025 25.41, 119.02 25.41, "
                         "119.02 25.40))")});
  b.Add({.level = 2,
         .code = "350302002002",
         .parent = "350302002",
         .name = "第4单元",
         .attributes = {"19"},
         .geometry = Wkt("POLYGON ((119.02 25.41, 119.025 25.41, 119.025 25.42, 119.02 25.42, "
                         "119.02 25.41))")});
  Dataset dataset;
  dataset.source = "inline";
  dataset.hierarchy = std::move(b).Build(nullptr);
  return dataset;
}

std::shared_ptr<LiveSnapshot> GridSnapshot() {
  Result<std::shared_ptr<const Snapshot>> snapshot = BuildSnapshot(GridDataset());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  if (!snapshot.ok()) return nullptr;
  return std::make_shared<LiveSnapshot>(std::move(snapshot).value());
}

RawConnection::RawConnection(uint16_t port, int receive_timeout_ms, int receive_buffer_bytes) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  if (receive_buffer_bytes > 0) {  // before connect, so the window is small from the start
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  timeval timeout{receive_timeout_ms / 1000, (receive_timeout_ms % 1000) * 1000};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(std::string_view data) {
  for (size_t sent = 0; sent < data.size();) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string RawConnection::ReadAll() {
  std::string out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

bool RawConnection::WaitClosed() {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

std::string Gunzip(std::string_view data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "";
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int result = Z_OK;
  while (result == Z_OK) {
    char buffer[65536];
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    result = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  inflateEnd(&z);
  return result == Z_STREAM_END ? out : "";
}

}  // namespace wangge::testing
