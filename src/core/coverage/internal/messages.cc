#include "coverage/internal/messages.h"

#include <cmath>
#include <cstdio>
#include <string_view>

namespace wangge::internal::coverage {
namespace {

struct Names {
  std::string zh;
  std::string en;
};

Names LevelNames(const Hierarchy& h, size_t level) {
  if (level >= h.level_count()) return {"", ""};
  return {h.levels()[level].label, h.levels()[level].name};
}

std::string Join(const std::vector<std::string>& codes, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (i) out += separator;
    out += codes[i];
  }
  return out;
}

std::string FirstCode(const Defect& d) { return d.codes.empty() ? std::string("?") : d.codes[0]; }

std::string Coordinates(const Point& p) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "(%.7f, %.7f)", p.x, p.y);
  return buffer;
}

std::string InvalidReasonZh(std::string_view reason) {
  if (reason == "self_intersection") return "边界自相交";
  if (reason == "ring_self_intersection") return "环自接触";
  if (reason == "hole_outside_shell") return "洞在外环之外";
  if (reason == "nested_holes") return "洞相互嵌套";
  if (reason == "disconnected_interior") return "内部不连通";
  if (reason == "nested_shells") return "外环相互嵌套";
  if (reason == "duplicate_rings") return "环重复";
  if (reason == "too_few_points") return "点数不足，边界退化";
  if (reason == "invalid_coordinate") return "坐标无效";
  if (reason == "ring_not_closed") return "环未闭合";
  return "几何无效";
}

std::string InvalidReasonEn(std::string_view reason) {
  if (reason == "self_intersection") return "its boundary crosses itself";
  if (reason == "ring_self_intersection") return "a ring touches itself";
  if (reason == "hole_outside_shell") return "a hole lies outside its shell";
  if (reason == "nested_holes") return "holes are nested";
  if (reason == "disconnected_interior") return "its interior is disconnected";
  if (reason == "nested_shells") return "parts are nested";
  if (reason == "duplicate_rings") return "a ring is repeated";
  if (reason == "too_few_points") return "a ring has too few distinct points";
  if (reason == "invalid_coordinate") return "a coordinate is invalid";
  if (reason == "ring_not_closed") return "a ring is not closed";
  return "it is not a valid polygon";
}

}  // namespace

std::string FormatNumber(double value) {
  char buffer[64];
  if (!std::isfinite(value)) return "?";
  if (std::fabs(value) >= 100) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else if (value == 0) {
    return "0";
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  }
  return buffer;
}

void WriteMessage(const Hierarchy& h, const MessageFacts& f, Defect* d) {
  const Names c = LevelNames(h, d->level);
  const Names p = d->level > 0 ? LevelNames(h, d->level - 1) : Names{"上级", "parent"};
  const std::string code = FirstCode(*d);
  const std::string codes_zh = Join(d->codes, "、");
  const std::string codes_en = Join(d->codes, ", ");
  const std::string area = FormatNumber(d->area_m2);
  const std::string width = d->width_m ? FormatNumber(*d->width_m) : std::string("?");
  std::string zh, en, fix_zh, fix_en;
  switch (d->kind) {
    case DefectKind::kInvalidGeometry:
      if (d->reason == "nan_coordinate") {
        zh = c.zh + " " + code + " 含非数值坐标（NaN 或无穷）";
        en = c.en + " " + code + " has a non-finite coordinate (NaN or infinity)";
        fix_zh = "重新导出该要素";
        fix_en = "re-export the feature with valid coordinates";
      } else if (d->reason == "multipart") {
        zh = c.zh + " " + code + " 由 " + std::to_string(f.count) + " 个分离部分组成，本层要求单一多边形";
        en = c.en + " " + code + " has " + std::to_string(f.count) +
             " separate parts; this level requires a single polygon";
        fix_zh = "拆分为多个" + c.zh + "或删除多余部分";
        fix_en = "split it into separate " + c.en + "s or remove the stray parts";
      } else if (d->reason == "short_segment") {
        zh = c.zh + " " + code + " 有 " + std::to_string(f.count) + " 条边短于 " +
             FormatNumber(f.limit) + " 米";
        en = c.en + " " + code + " has " + std::to_string(f.count) + " edges shorter than " +
             FormatNumber(f.limit) + " m";
        fix_zh = "删除重复或过近的顶点";
        fix_en = "remove the near-duplicate vertices";
      } else if (d->reason == "undescribed_residual") {
        zh = d->parent + " 内 " + codes_zh + " 的边界缺陷无法进一步解析（" + f.detail + "）";
        en = "boundary defects of " + codes_en + " in " + d->parent +
             " could not be described further (" + f.detail + ")";
        fix_zh = "先修复本组内的无效几何";
        fix_en = "fix the invalid geometries of this group first";
      } else {
        const Point where = d->geometry.points.empty() ? Point{} : d->geometry.points[0];
        zh = c.zh + " " + code + " 几何无效：" + InvalidReasonZh(d->reason) + "，位置 " +
             Coordinates(where);
        en = c.en + " " + code + " is not a valid polygon: " + InvalidReasonEn(d->reason) +
             " at " + Coordinates(where) + (f.detail.empty() ? "" : " (GEOS: " + f.detail + ")");
        fix_zh = "在编辑软件中重画该处边界（不要用 buffer(0)，它会移动顶点）";
        fix_en = "redraw the boundary there in an editor (not buffer(0), which moves vertices)";
      }
      break;
    case DefectKind::kEmptyGeometry:
      zh = c.zh + " " + code + " 没有几何图形";
      en = c.en + " " + code + " has no geometry";
      fix_zh = "补画边界或删除该要素";
      fix_en = "draw its boundary or delete the feature";
      break;
    case DefectKind::kDuplicateCode:
      zh = "编码 " + code + " 被 " + std::to_string(f.count) + " 个区域重复使用";
      en = "code " + code + " is used by " + std::to_string(f.count) + " regions";
      fix_zh = "为重复的区域分配新编码";
      fix_en = "give the duplicates new codes";
      break;
    case DefectKind::kMissingParent:
      if (d->reason == "no_parent") {
        zh = c.zh + " " + code + " 未填写上级" + p.zh + "编码";
        en = c.en + " " + code + " declares no parent " + p.en;
      } else if (d->reason == "parent_wrong_level") {
        zh = c.zh + " " + code + " 的上级 " + d->parent + " 不是" + p.zh;
        en = c.en + " " + code + " declares parent " + d->parent + ", which is not a " + p.en;
      } else {
        zh = c.zh + " " + code + " 的上级" + p.zh + " " + d->parent + " 不存在";
        en = c.en + " " + code + " declares parent " + p.en + " " + d->parent +
             ", which does not exist";
      }
      if (!f.spatial_parent.empty()) {
        fix_zh = "把上级改为其所在的" + p.zh + " " + f.spatial_parent;
        fix_en = "set its parent to " + f.spatial_parent + ", the " + p.en + " it lies in";
      } else {
        fix_zh = "补充上级" + p.zh + "或更正上级编码";
        fix_en = "add the missing " + p.en + " or correct the parent code";
      }
      break;
    case DefectKind::kCodeMismatch:
      if (d->reason == "length") {
        zh = c.zh + "编码 " + code + " 应为 " + FormatNumber(f.limit) + " 位，实为 " +
             std::to_string(code.size()) + " 位";
        en = c.en + " code " + code + " should have " + FormatNumber(f.limit) + " characters, has " +
             std::to_string(code.size());
      } else if (d->reason == "non_digit") {
        zh = c.zh + "编码 " + code + " 含非数字字符";
        en = c.en + " code " + code + " contains characters other than digits";
      } else {
        zh = c.zh + "编码 " + code + " 未以上级" + p.zh + "编码前缀 " + f.detail + " 开头";
        en = c.en + " code " + code + " does not start with its " + p.en + "'s prefix " + f.detail;
      }
      fix_zh = "按编码规则更正编码";
      fix_en = "correct the code to follow the code model";
      break;
    case DefectKind::kOverlap:
      zh = c.zh + " " + codes_zh + " 相互重叠 " + area + " 平方米（宽 " + width + " 米）";
      en = c.en + "s " + codes_en + " overlap by " + area + " m² (" + width + " m wide)";
      fix_zh = "只在其中一个" + c.zh + "中保留重叠部分";
      fix_en = "cut the overlap out of all but one of them";
      break;
    case DefectKind::kGap:
      if (f.no_children) {
        zh = p.zh + " " + d->parent + " 没有任何" + c.zh + "（" + area + " 平方米未覆盖）";
        en = p.en + " " + d->parent + " has no " + c.en + "s (" + area + " m² uncovered)";
        fix_zh = "补画该" + p.zh + "的" + c.zh;
        fix_en = "draw its " + c.en + "s";
        break;
      }
      zh = p.zh + " " + d->parent + " 内有 " + area + " 平方米（宽 " + width + " 米）未被任何" +
           c.zh + "覆盖";
      en = area + " m² (" + width + " m wide) of " + p.en + " " + d->parent +
           " is not covered by any " + c.en;
      if (!f.foreign_cover.empty()) {
        zh += "；该处被 " + f.foreign_cover + "（上级 " + f.foreign_cover_parent + "）覆盖";
        en += "; it is covered by " + f.foreign_cover + ", whose declared parent is " +
              f.foreign_cover_parent;
        fix_zh = "把 " + f.foreign_cover + " 的上级改为 " + d->parent;
        fix_en = "set the parent of " + f.foreign_cover + " to " + d->parent;
      } else if (!f.neighbour.empty()) {
        fix_zh = "并入共用边界最长的相邻" + c.zh + " " + f.neighbour + "（" +
                 FormatNumber(f.neighbour_border_m) + " 米）";
        fix_en = "merge it into " + c.en + " " + f.neighbour +
                 ", the neighbour with the longest shared border (" +
                 FormatNumber(f.neighbour_border_m) + " m)";
      } else {
        fix_zh = "补画缺失的" + c.zh;
        fix_en = "draw the missing " + c.en;
      }
      break;
    case DefectKind::kOutsideParent:
      zh = c.zh + " " + codes_zh + " 有 " + area + " 平方米（宽 " + width + " 米）超出上级" + p.zh +
           " " + d->parent;
      en = area + " m² (" + width + " m wide) of " + c.en + " " + codes_en + " lies outside its " +
           p.en + " " + d->parent;
      if (!f.spatial_parent.empty()) {
        zh += "，进入 " + f.spatial_parent;
        en += ", inside " + f.spatial_parent;
        fix_zh = "沿 " + d->parent + " 边界裁剪，或把上级改为 " + f.spatial_parent;
        fix_en = "clip it to " + d->parent + ", or set its parent to " + f.spatial_parent;
      } else {
        fix_zh = "沿上级" + p.zh + "边界裁剪";
        fix_en = "clip it to its " + p.en + "'s boundary";
      }
      break;
    case DefectKind::kTJunction: {
      const std::vector<std::string> others(d->codes.begin() + (d->codes.empty() ? 0 : 1),
                                            d->codes.end());
      zh = c.zh + " " + code + " 的公共边上缺少 " + Join(others, "、") + " 的 " +
           std::to_string(f.count) + " 个顶点（T 形接点）";
      en = c.en + " " + code + " lacks " + std::to_string(f.count) + " vertices of " +
           Join(others, ", ") + " on their shared border (T-junction)";
      fix_zh = "在 " + code + " 的边上插入这些顶点";
      fix_en = "insert these vertices into " + code + "'s edge";
      break;
    }
    case DefectKind::kNearCoincidentEdge:
      if (d->reason == "undescribed") {
        zh = c.zh + " " + codes_zh + " 之间有 " + std::to_string(f.count) +
             " 段边界不一致，范围过大（" + FormatNumber(f.limit) + " 段）未逐一分析";
        en = std::to_string(f.count) + " boundary segments of " + c.en + "s " + codes_en +
             " do not match; too many (" + FormatNumber(f.limit) +
             " segments around them) to describe one by one";
        fix_zh = "把相邻边界改为顶点完全一致（例如由同一条线派生）";
        fix_en = "redraw the shared borders with identical vertices (e.g. from one common line)";
        break;
      }
      zh = c.zh + " " + codes_zh + " 的公共边界两侧顶点不一致，留下 " + area + " 平方米细缝（宽 " +
           width + " 米）";
      en = c.en + "s " + codes_en + " draw their shared border with different vertices, leaving " +
           area + " m² of slivers (" + width + " m wide)";
      fix_zh = "把一侧顶点吸附到另一侧，使两侧顶点完全相同";
      fix_en = "snap one side onto the other so that both share the same vertices";
      break;
    case DefectKind::kUnmatchedParentEdge:
      if (d->reason == "undescribed") {
        zh = c.zh + " " + codes_zh + " 与上级" + p.zh + " " + d->parent + " 之间有 " +
             std::to_string(f.count) + " 段边界不一致，范围过大（" + FormatNumber(f.limit) +
             " 段）未逐一分析";
        en = std::to_string(f.count) + " boundary segments of " + c.en + "s " + codes_en +
             " and their " + p.en + " " + d->parent + " do not match; too many (" +
             FormatNumber(f.limit) + " segments around them) to describe one by one";
      } else if (d->reason == "vertex") {
        if (f.parent_lacks_vertices) {
          zh = "上级" + p.zh + " " + d->parent + " 的边界缺少" + c.zh + " " + codes_zh + " 的 " +
               std::to_string(f.count) + " 个顶点";
          en = "the boundary of " + p.en + " " + d->parent + " lacks " + std::to_string(f.count) +
               " vertices of " + c.en + " " + codes_en;
        } else {
          zh = c.zh + " " + codes_zh + " 缺少上级" + p.zh + " " + d->parent + " 边界上的 " +
               std::to_string(f.count) + " 个顶点";
          en = c.en + " " + codes_en + " lacks " + std::to_string(f.count) + " vertices of the " +
               p.en + " " + d->parent + "'s boundary";
        }
      } else {
        zh = c.zh + " " + codes_zh + " 的边界与上级" + p.zh + " " + d->parent + " 的边界不重合，留下 " +
             area + " 平方米细缝（宽 " + width + " 米）";
        en = "the border of " + c.en + " " + codes_en + " misses the boundary of " + p.en + " " +
             d->parent + ": " + area + " m² of slivers (" + width + " m wide)";
      }
      fix_zh = "使上级边界由下级边界组成：插入缺少的顶点，或用 --derive-parents 由下级生成上级";
      fix_en = "make the " + p.en + " boundary out of its " + c.en +
               "s' edges: insert the missing vertices, or build it with --derive-parents";
      break;
    case DefectKind::kSizeRule:
      if (d->reason == "area_below_minimum") {
        zh = c.zh + " " + code + " 面积仅 " + area + " 平方米，小于下限 " + FormatNumber(f.limit) +
             " 平方米";
        en = c.en + " " + code + " has only " + area + " m², less than the minimum " +
             FormatNumber(f.limit) + " m²";
        fix_zh = "与相邻" + c.zh + "合并或删除";
        fix_en = "merge it into a neighbour or delete it";
      } else if (d->reason.ends_with("_not_a_number")) {
        zh = c.zh + " " + code + " 的" + f.what + "值“" + f.detail + "”不是数字";
        en = c.en + " " + code + " has " + f.what + " = \"" + f.detail + "\", not a number";
        fix_zh = "更正属性值";
        fix_en = "correct the value";
      } else {
        const bool above = d->reason.ends_with("_above_max");
        zh = c.zh + " " + code + " 的" + f.what + "为 " + f.detail + "，" +
             (above ? "超过上限 " : "低于下限 ") + FormatNumber(f.limit);
        en = c.en + " " + code + " has " + f.what + " = " + f.detail + ", " +
             (above ? "above the maximum " : "below the minimum ") + FormatNumber(f.limit);
        fix_zh = above ? "拆分该" + c.zh : "与相邻" + c.zh + "合并";
        fix_en = above ? "split the " + c.en : "merge it with a neighbour";
      }
      break;
  }
  d->message = zh + " / " + en;
  d->fix = fix_zh.empty() ? std::string() : fix_zh + " / " + fix_en;
}

}  // namespace wangge::internal::coverage
