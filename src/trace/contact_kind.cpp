#include "trace/presence.h"

namespace fx::trace {

ContactKind contact_kind_of(domain::PlaceKind kind) {
  switch (kind) {
    case domain::PlaceKind::dorm_room:
      return ContactKind::dorm_room;
    case domain::PlaceKind::classroom:
      return ContactKind::classroom;
    case domain::PlaceKind::canteen:
      return ContactKind::canteen;
    case domain::PlaceKind::gate:
      return ContactKind::gate;
    case domain::PlaceKind::library:
      return ContactKind::library;
    case domain::PlaceKind::bus:
      return ContactKind::bus;
    case domain::PlaceKind::other:
      return ContactKind::other_place;
  }
  return ContactKind::other_place;
}

const char* contact_kind_code(ContactKind kind) {
  static const char* const codes[kContactKinds] = {"dorm_room", "classroom", "canteen", "gate",
                                                   "library",   "bus",       "other",   "pairwise"};
  return codes[static_cast<int>(kind)];
}

const char* contact_kind_name(ContactKind kind) {
  static const char* const names[kContactKinds] = {"宿舍",   "教室", "食堂",     "校门",
                                                   "图书馆", "校车", "其他场所", "密切接触记录"};
  return names[static_cast<int>(kind)];
}

}  // namespace fx::trace
