#include "server/as_of.h"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "server/http_status.h"
#include "server/snapshot_publisher.h"

namespace wangge::server {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr minutes kChinaStandardTime = hours(8);

// Reads exactly `width` digits at `*at` into `*value`.
bool Digits(std::string_view text, size_t* at, size_t width, int* value) {
  if (*at + width > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *at += width;
  *value = v;
  return true;
}

bool Expect(std::string_view text, size_t* at, char c) {
  if (*at >= text.size() || text[*at] != c) return false;
  ++*at;
  return true;
}

}  // namespace

Result<StoreClock::time_point> ParseAsOf(std::string_view text) {
  const Status bad = Status::InvalidArgument(
      "at must be a date (2026-03-01) or an RFC 3339 timestamp (2026-03-01T09:30:00+08:00), got "
      "\"" +
      std::string(text.substr(0, 64)) + "\"");
  size_t at = 0;
  int year = 0, month = 0, day = 0;
  if (!Digits(text, &at, 4, &year) || !Expect(text, &at, '-') || !Digits(text, &at, 2, &month) ||
      !Expect(text, &at, '-') || !Digits(text, &at, 2, &day)) {
    return bad;
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return bad;
  std::chrono::sys_time<milliseconds> local = std::chrono::sys_days(date);
  minutes offset = kChinaStandardTime;
  if (at < text.size()) {
    if (text[at] != 'T' && text[at] != 't' && text[at] != ' ') return bad;
    ++at;
    int hour = 0, minute = 0, second = 0;
    if (!Digits(text, &at, 2, &hour) || !Expect(text, &at, ':') || !Digits(text, &at, 2, &minute)) {
      return bad;
    }
    int64_t fraction_ms = 0;
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!Digits(text, &at, 2, &second)) return bad;
      if (at < text.size() && text[at] == '.') {
        ++at;
        const size_t first = at;
        int64_t scale = 100;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          fraction_ms += (text[at] - '0') * scale;
          scale /= 10;
          ++at;
        }
        if (at == first) return bad;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return bad;
    local += hours(hour) + minutes(minute) + seconds(second) + milliseconds(fraction_ms);
    if (at < text.size()) {
      if (text[at] == 'Z' || text[at] == 'z') {
        offset = minutes(0);
        ++at;
      } else if (text[at] == '+' || text[at] == '-' || text[at] == ' ') {
        // (' ': a '+' sent unencoded in a query string arrives as a space.)
        const int sign = text[at] == '-' ? -1 : 1;
        ++at;
        int oh = 0, om = 0;
        if (!Digits(text, &at, 2, &oh) || !Expect(text, &at, ':') || !Digits(text, &at, 2, &om) ||
            oh > 23 || om > 59) {
          return bad;
        }
        offset = minutes(sign * (oh * 60 + om));
      } else {
        return bad;
      }
    }
    if (at != text.size()) return bad;
  }
  return std::chrono::time_point_cast<StoreClock::duration>(local - offset);
}

std::shared_ptr<const Snapshot> SnapshotForRequest(const Context& context,
                                                   const HttpRequest& request, Reply* error) {
  const std::optional<std::string_view> at = request.Query("at");
  if (!at) {
    std::shared_ptr<const Snapshot> snapshot = context.live->Get();
    if (snapshot->version.empty()) {
      *error = ErrorReply(HttpError::kUnavailable,
                          "no version is published yet: POST a draft to /v1/drafts and publish it");
      return nullptr;
    }
    return snapshot;
  }
  Result<StoreClock::time_point> when = ParseAsOf(*at);
  if (!when.ok()) {
    *error = ErrorReply(when.status());
    return nullptr;
  }
  if (!context.publisher) {
    *error = ErrorReply(Status::NotFound(std::string(kNoStoreMessage) + " (needed for at=)"));
    return nullptr;
  }
  Result<std::string> version = context.publisher->store().VersionAt(*when);
  if (!version.ok()) {
    std::string message = "no version was live at " + FormatStoreTime(*when);
    const std::vector<HistoryEvent> history = context.publisher->store().History();
    message += history.empty()
                   ? " (no version has been published yet)"
                   : " (the first was published at " + FormatStoreTime(history[0].at) + ")";
    *error = ErrorReply(Status::NotFound(message));
    return nullptr;
  }
  Result<std::shared_ptr<const Snapshot>> snapshot = context.publisher->SnapshotOf(*version);
  if (!snapshot.ok()) {
    *error = ErrorReply(snapshot.status());
    return nullptr;
  }
  return std::move(snapshot).value();
}

}  // namespace wangge::server
