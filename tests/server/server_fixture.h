// Shared by the server tests: a small three-level dataset with a shared edge, a gap and an
// L-shaped unit; raw sockets for what HttpClient cannot send; gzip decoding.
//
//   district 350302 城厢区  119.00–119.04 x 25.40–25.42
//   grid     350302001 (west half), 350302002 (east half)
//   unit     350302001001 (SW), 350302001002 (NW),
//            350302002001 (L: the SE quarter and the NE corner 119.03–119.04 x 25.41–25.42),
//            350302002002 (119.02–119.025 x 25.41–25.42);
//            119.025–119.03 x 25.41–25.42 is a gap (in grid 350302002, in no unit)
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "wangge/load/dataset.h"
#include "wangge/snapshot/snapshot.h"

namespace wangge::testing {

// Returns the dataset above.
Dataset GridDataset();

// Returns a LiveSnapshot of GridDataset() (fails the test if it cannot be built).
std::shared_ptr<LiveSnapshot> GridSnapshot();

// A raw TCP connection to 127.0.0.1:port with a receive timeout.
class RawConnection {
 public:
  // `receive_buffer_bytes` > 0 fixes the socket's receive buffer (no autotuning): a client that
  // does not read then makes the server queue its answer.
  RawConnection(uint16_t port, int receive_timeout_ms = 10'000, int receive_buffer_bytes = 0);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Sends all of `data`; false if the peer closed or reset.
  bool Send(std::string_view data);
  // Reads until the peer closes or the timeout passes; returns what arrived.
  std::string ReadAll();
  // Returns true if the peer closed the connection (EOF or reset) before the timeout.
  bool WaitClosed();

 private:
  int fd_ = -1;
};

// Returns the inflated bytes of a gzip stream ("" if corrupt).
std::string Gunzip(std::string_view data);

}  // namespace wangge::testing
