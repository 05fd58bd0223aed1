#include "wangge/crs/transform.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <utility>
#include <vector>

#include <proj.h>

#include "crs/internal/transform_internal.h"

namespace wangge {
namespace internal {
namespace {

struct PjDeleter {
  void operator()(PJ* pj) const { proj_destroy(pj); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

// A PROJ context that keeps PROJ's error messages for our Status instead of printing them.
class ProjContext {
 public:
  // ctx_ is null only when out of memory; PROJ then falls back to its default context.
  ProjContext() : ctx_(proj_context_create()) {
    if (ctx_ != nullptr) proj_log_func(ctx_, this, &ProjContext::Log);
  }
  ~ProjContext() { proj_context_destroy(ctx_); }
  ProjContext(const ProjContext&) = delete;
  ProjContext& operator=(const ProjContext&) = delete;

  PJ_CONTEXT* get() const { return ctx_; }

  // Returns the last error PROJ logged (or else the context's errno text) and forgets it.
  std::string TakeError() {
    std::string message = std::exchange(last_error_, std::string());
    if (message.empty()) message = proj_context_errno_string(ctx_, proj_context_errno(ctx_));
    return message;
  }

 private:
  static void Log(void* self, int level, const char* message) {
    if (level <= PJ_LOG_ERROR && message != nullptr) {
      static_cast<ProjContext*>(self)->last_error_ = message;
    }
  }

  PJ_CONTEXT* ctx_;
  std::string last_error_;
};

// Quotes a CRS string for a message, shortening long WKT.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 120;
  std::string q = "\"";
  q += text.substr(0, kMax);
  if (text.size() > kMax) q += "...";
  q += "\"";
  return q;
}

// Creates the CRS named by `text`, or explains why it is not one.
Result<PjPtr> CreateCrs(ProjContext& ctx, std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("empty CRS string");
  std::string definition(text);
  PjPtr crs(proj_create(ctx.get(), definition.c_str()));
  // A bare "+proj=..." string is read as an operation unless it says it is a CRS.
  if (crs != nullptr && proj_is_crs(crs.get()) == 0 && definition.starts_with('+') &&
      definition.find("+type=crs") == std::string::npos) {
    definition += " +type=crs";
    crs.reset(proj_create(ctx.get(), definition.c_str()));
  }
  if (crs == nullptr) {
    return Status::InvalidArgument("unknown CRS " + Quote(text) + ": " + ctx.TakeError());
  }
  if (proj_is_crs(crs.get()) == 0) {
    return Status::InvalidArgument(Quote(text) + " is not a coordinate reference system");
  }
  return crs;
}

// Creates the operation from `source` to `target` with x = easting/longitude on both sides.
Result<PjPtr> CreateOperation(ProjContext& ctx, std::string_view source, std::string_view target) {
  Result<PjPtr> source_crs = CreateCrs(ctx, source);
  if (!source_crs.ok()) return source_crs.status();
  Result<PjPtr> target_crs = CreateCrs(ctx, target);
  if (!target_crs.ok()) return target_crs.status();
  PjPtr op(proj_create_crs_to_crs_from_pj(ctx.get(), source_crs->get(), target_crs->get(), nullptr,
                                          nullptr));
  if (op == nullptr) {
    return Status::InvalidArgument("no transformation from " + Quote(source) + " to " +
                                   Quote(target) + ": " + ctx.TakeError());
  }
  PjPtr normalized(proj_normalize_for_visualization(ctx.get(), op.get()));
  if (normalized == nullptr) {
    return Status::InvalidArgument("cannot normalise the axis order from " + Quote(source) +
                                   " to " + Quote(target) + ": " + ctx.TakeError());
  }
  return normalized;
}

}  // namespace

struct CrsTransformShared {
  uint64_t id = 0;
  std::string source;
  std::string target;
  std::mutex mutex;  // guards `context` and `prototype`, which are only read to make clones
  ProjContext context;
  PjPtr prototype;  // declared after `context`: destroyed before it
};

namespace {

// The calling thread's PROJ context and its clones of the transforms it has used.
class ThreadCache {
 public:
  // Returns this thread's clone of `shared`'s operation, or null if PROJ cannot make one.
  PJ* Get(const std::shared_ptr<CrsTransformShared>& owner) {
    CrsTransformShared& shared = *owner;
    for (const Entry& e : entries_) {
      if (e.id == shared.id) return e.pj.get();
    }
    std::erase_if(entries_, [](const Entry& e) { return e.owner.expired(); });
    PjPtr pj;
    {
      std::lock_guard<std::mutex> lock(shared.mutex);
      pj.reset(proj_clone(context_.get(), shared.prototype.get()));
    }
    if (pj == nullptr) {  // not every operation clones; build it again in this thread
      Result<PjPtr> op = CreateOperation(context_, shared.source, shared.target);
      if (!op.ok()) return nullptr;
      pj = std::move(op).value();
    }
    entries_.push_back({shared.id, owner, std::move(pj)});
    return entries_.back().pj.get();
  }

  PJ_CONTEXT* context() const { return context_.get(); }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint64_t id;
    std::weak_ptr<CrsTransformShared> owner;
    PjPtr pj;
  };

  ProjContext context_;
  std::vector<Entry> entries_;  // declared after `context_`: destroyed before it
};

ThreadCache& LocalCache() {
  thread_local ThreadCache cache;
  return cache;
}

}  // namespace

size_t CachedTransformCountInThisThread() { return LocalCache().size(); }

std::string FormatPoint(Point p) {
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "(%.12g, %.12g)", p.x, p.y);
  return buffer.data();
}

Status CheckHorizontalCrs(std::string_view crs_text) {
  ProjContext ctx;
  Result<PjPtr> crs = CreateCrs(ctx, crs_text);
  if (!crs.ok()) return crs.status();
  PjPtr horizontal;
  if (proj_get_type(crs->get()) == PJ_TYPE_COMPOUND_CRS) {
    horizontal.reset(proj_crs_get_sub_crs(ctx.get(), crs->get(), 0));
  }
  switch (proj_get_type(horizontal ? horizontal.get() : crs->get())) {
    case PJ_TYPE_GEOGRAPHIC_2D_CRS:
    case PJ_TYPE_GEOGRAPHIC_3D_CRS:
    case PJ_TYPE_PROJECTED_CRS:
      return Status::Ok();
    default:
      return Status::InvalidArgument(Quote(crs_text) +
                                     " is not a geographic or projected CRS (no horizontal axes)");
  }
}

}  // namespace internal

namespace {

using internal::CrsTransformShared;

std::atomic<uint64_t> next_transform_id{1};

Status NotFinite(Point p) {
  return Status::InvalidArgument("coordinate " + internal::FormatPoint(p) + " is not finite");
}

// Explains why `pj` failed to transform `p`, after a proj_trans that returned HUGE_VAL.
Status Failure(PJ* pj, PJ_CONTEXT* ctx, const CrsTransformShared& shared, Point p) {
  const int error = proj_errno(pj);
  const char* reason = error != 0 ? proj_context_errno_string(ctx, error) : "no result";
  return Status::InvalidArgument("cannot transform " + internal::FormatPoint(p) + " from " +
                                 internal::Quote(shared.source) + " to " +
                                 internal::Quote(shared.target) + ": " + reason);
}

Status PointError(size_t index, const Status& status) {
  return status.WithContext("point " + std::to_string(index));
}

}  // namespace

Result<CrsTransform> CrsTransform::Create(std::string_view source_crs,
                                          std::string_view target_crs) {
  auto shared = std::make_shared<CrsTransformShared>();
  shared->id = next_transform_id.fetch_add(1, std::memory_order_relaxed);
  shared->source = std::string(source_crs);
  shared->target = std::string(target_crs);
  Result<internal::PjPtr> op = internal::CreateOperation(shared->context, source_crs, target_crs);
  if (!op.ok()) return op.status();
  shared->prototype = std::move(op).value();
  return CrsTransform(std::move(shared));
}

const std::string& CrsTransform::source_crs() const { return shared_->source; }
const std::string& CrsTransform::target_crs() const { return shared_->target; }

Result<Point> CrsTransform::Apply(Point p) const {
  if (!IsFinite(p)) return NotFinite(p);
  internal::ThreadCache& cache = internal::LocalCache();
  PJ* pj = cache.Get(shared_);
  if (pj == nullptr) return Status::Internal("PROJ could not clone the transformation");
  proj_errno_reset(pj);
  const PJ_COORD out = proj_trans(pj, PJ_FWD, proj_coord(p.x, p.y, 0, HUGE_VAL));
  if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y)) {
    return Failure(pj, cache.context(), *shared_, p);
  }
  return Point{out.xy.x, out.xy.y};
}

Status CrsTransform::Apply(std::span<Point> points) const {
  if (points.empty()) return Status::Ok();
  internal::ThreadCache& cache = internal::LocalCache();
  PJ* pj = cache.Get(shared_);
  if (pj == nullptr) return Status::Internal("PROJ could not clone the transformation");
  // In chunks, keeping each chunk's input so that a failure can name the point it came from.
  constexpr size_t kChunk = 256;
  std::array<Point, kChunk> input;
  for (size_t begin = 0; begin < points.size(); begin += kChunk) {
    const size_t count = std::min(kChunk, points.size() - begin);
    Point* chunk = points.data() + begin;
    std::copy_n(chunk, count, input.begin());
    proj_errno_reset(pj);
    proj_trans_generic(pj, PJ_FWD, &chunk->x, sizeof(Point), count, &chunk->y, sizeof(Point), count,
                       nullptr, 0, 0, nullptr, 0, 0);
    for (size_t i = 0; i < count; ++i) {
      if (IsFinite(chunk[i])) continue;
      if (!IsFinite(input[i])) return PointError(begin + i, NotFinite(input[i]));
      proj_errno_reset(pj);  // redo the point alone for PROJ's reason
      proj_trans(pj, PJ_FWD, proj_coord(input[i].x, input[i].y, 0, HUGE_VAL));
      return PointError(begin + i, Failure(pj, cache.context(), *shared_, input[i]));
    }
  }
  return Status::Ok();
}

Result<CrsTransform> ToLonLat(std::string_view source_crs) {
  return CrsTransform::Create(source_crs, "EPSG:4490");
}

Result<std::string> DescribeCrs(std::string_view crs_text) {
  internal::ProjContext ctx;
  Result<internal::PjPtr> created = internal::CreateCrs(ctx, crs_text);
  if (!created.ok()) return created.status();
  const PJ* crs = created->get();

  std::string id;
  if (const char* own_auth = proj_get_id_auth_name(crs, 0); own_auth != nullptr) {
    const char* own_code = proj_get_id_code(crs, 0);
    id = std::string(own_auth) + ":" + (own_code != nullptr ? own_code : "");
  } else {
    // No identifier: accept the database's match only when it is certain.
    int* confidence = nullptr;
    PJ_OBJ_LIST* matches = proj_identify(ctx.get(), crs, "EPSG", nullptr, &confidence);
    if (matches != nullptr) {
      for (int i = 0; i < proj_list_get_count(matches); ++i) {
        if (confidence[i] < 100) continue;
        internal::PjPtr match(proj_list_get(ctx.get(), matches, i));
        const char* auth = match ? proj_get_id_auth_name(match.get(), 0) : nullptr;
        const char* code = match ? proj_get_id_code(match.get(), 0) : nullptr;
        if (auth != nullptr && code != nullptr) {
          id = std::string(auth) + ":" + code;
          break;
        }
      }
      proj_int_list_destroy(confidence);
      proj_list_destroy(matches);
    }
  }

  const char* name_c = proj_get_name(crs);
  const std::string name = name_c != nullptr ? name_c : "";
  if (name.empty() || name == "unknown") {
    if (!id.empty()) return id;
    const char* proj_string = proj_as_proj_string(ctx.get(), crs, PJ_PROJ_5, nullptr);
    return std::string(proj_string != nullptr ? proj_string : "unnamed CRS");
  }
  return id.empty() ? name : id + " (" + name + ")";
}

}  // namespace wangge
