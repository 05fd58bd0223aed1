#include "synth/internal/naming.h"

#include <iterator>

namespace wangge::internal {
namespace {

const char* const kPlaceFirst[] = {
    "东", "西", "南", "北", "新", "龙", "凤", "华", "兴", "安", "福", "清", "江", "海", "山",
    "溪", "石", "林", "梧", "荔", "霞", "黄", "白", "青", "金", "玉", "梅", "桥", "洋", "田",
    "湖", "塘", "岭", "后", "前", "上", "下", "大", "小", "长", "高", "平", "灵", "常", "庄",
    "园", "枫", "钟", "书", "象", "苍", "秀", "忠", "月", "坂", "沁", "宝", "瑞", "云", "崇"};
const char* const kPlaceSecond[] = {
    "山", "溪", "江", "湖", "海", "洋", "塘", "坑", "埔", "厝", "头", "尾", "港", "峰", "岭",
    "田", "园", "林", "桥", "亭", "口", "坂", "坡", "洲", "屿", "岩", "阳", "华", "兴", "安",
    "丰", "宁", "和", "美", "源", "泉", "沙", "里", "庄", "店", "湾", "浦", "岐", "垞", "墩"};
const char* const kUrbanFirst[] = {
    "东", "西", "南", "北", "新", "中", "龙", "凤", "华", "兴", "安", "福", "清", "锦", "绣",
    "荔", "霞", "金", "玉", "梅", "文", "明", "建", "和", "平", "康", "乐", "丰", "盛", "瑞",
    "阳", "光", "英", "育", "书", "紫", "学", "园", "胜", "利", "延", "寿", "拱", "镇", "海"};
const char* const kUrbanSecond[] = {"园", "苑", "城", "街", "坊", "里", "门", "桥", "亭", "河",
                                    "湖", "岸", "峰", "庭", "苑", "岭", "泉", "塔", "埕", "巷"};
const char* const kSurnames[] = {"林", "陈", "黄", "吴", "郑", "李", "王", "张", "刘", "蔡",
                                 "翁", "方", "许", "朱", "徐", "余", "杨", "周", "宋", "柯",
                                 "彭", "游", "蒋", "谢", "魏", "卓", "洪", "苏", "肖", "潘"};
const char* const kGiven[] = {"志", "明", "建", "华", "国", "强", "丽", "芳", "秀", "英", "玉",
                              "兰", "文", "金", "春", "海", "燕", "红", "伟", "勇", "晓", "德",
                              "荣", "凤", "美", "清", "福", "顺", "荔", "霞", "婷", "静", "辉",
                              "雄", "斌", "鹏", "慧", "敏", "琳", "杰", "涛", "军", "平", "梅"};

}  // namespace

std::string NameMaker::Unique(const char* const* first, size_t nfirst, const char* const* second,
                              size_t nsecond, const char* suffix) {
  for (int attempt = 0;; ++attempt) {
    std::string name = std::string(first[rng_.Below(nfirst)]) + second[rng_.Below(nsecond)];
    if (attempt > 50) name += first[rng_.Below(nfirst)];  // three characters when crowded
    if (used_.insert(name + suffix).second) return name + suffix;
  }
}

std::string NameMaker::Town(bool street) {
  return Unique(kPlaceFirst, std::size(kPlaceFirst), kPlaceSecond, std::size(kPlaceSecond),
                street ? "街道" : "镇");
}

std::string NameMaker::Community(bool urban) {
  return urban ? Unique(kUrbanFirst, std::size(kUrbanFirst), kUrbanSecond, std::size(kUrbanSecond),
                        "社区")
               : Unique(kPlaceFirst, std::size(kPlaceFirst), kPlaceSecond, std::size(kPlaceSecond),
                        "村");
}

std::string NameMaker::Person() {
  std::string name = kSurnames[rng_.Below(std::size(kSurnames))];
  name += kGiven[rng_.Below(std::size(kGiven))];
  if (rng_.Uniform() < 0.7) name += kGiven[rng_.Below(std::size(kGiven))];
  return name;
}

std::string NameMaker::Phone() {
  std::string phone = "0594-0";
  for (int i = 0; i < 7; ++i) phone += static_cast<char>('0' + rng_.Below(10));
  return phone;
}

}  // namespace wangge::internal
