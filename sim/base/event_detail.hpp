// The `detail` column of events.csv: one grammar for every row, one writer and one parser, and
// the names of its fields. The provider writes details through EventDetail; readers (the HTML
// report) parse them with EventDetail::parse and look fields up by the keys below — never by
// matching a prefix of the text.
//
//   detail := fields | fields ' ' note | note
//   fields := field (' ' field)*
//   field  := key '=' value          key: [a-z_]+
//   value  := bare | quoted          bare: one or more characters, none a space or '"'
//                                    quoted: '"' ... '"', a '"' inside written twice; used for
//                                    an empty value or one with a space or a '"'
//   note   := free text whose first word is not a field ("replaced", "(hot spare taken for d3)")
//
// Fields by event (values in upper case are VDS names, as in the event and object_type columns):
//   LUN_ARRIVE              type (raid5, ...), size (bytes); a note when placement fell short
//   LUN_MODIFY              status (VDS_LS_*) and health (VDS_H_*); or transition (VDS_LTS_*);
//                           or active_controller (the controller object's name); or a note
//   LUN_DEPART              a note: deleted, creation rolled back, ...
//   DRIVE_MODIFY            status (VDS_DRS_*) [health]; or flags (VDS_DRF_HOTSPARE or 0) [note]
//   DRIVE_REMOVED           status (VDS_DRS_OFFLINE)
//   DRIVE_ARRIVE / DEPART   a note
//   LUNSIM_DRIVE_REBUILD    rebuild (start or end), lun (the LUN's friendly or object name)
//   CONTROLLER_*            status (VDS_CS_*), health; PORT_*: status (VDS_PRS_*)
//   LUNSIM_COMPONENT_MODIFY kind (a topology vertex kind, or link), state (up or down)
//   LUNSIM_PATH_MODIFY      online, standby, failed (path counts), paths (initiator>port:VDS_MPS_*;...)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim::base {

/// Field names of event details (see the header).
namespace detail_key {
inline constexpr std::string_view status = "status";
inline constexpr std::string_view health = "health";
inline constexpr std::string_view flags = "flags";
inline constexpr std::string_view transition = "transition";
inline constexpr std::string_view type = "type";
inline constexpr std::string_view size = "size";
inline constexpr std::string_view rebuild = "rebuild";
inline constexpr std::string_view lun = "lun";
inline constexpr std::string_view active_controller = "active_controller";
inline constexpr std::string_view kind = "kind";
inline constexpr std::string_view state = "state";
inline constexpr std::string_view online = "online";
inline constexpr std::string_view standby = "standby";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view paths = "paths";
} // namespace detail_key

/// Values readers test for (the writers use the same names: a test holds them together).
namespace detail_value {
inline constexpr std::string_view rebuild_start = "start";
inline constexpr std::string_view rebuild_end = "end";
inline constexpr std::string_view flags_hot_spare = "VDS_DRF_HOTSPARE";
inline constexpr std::string_view flags_none = "0";
inline constexpr std::string_view drive_online = "VDS_DRS_ONLINE";
inline constexpr std::string_view drive_offline = "VDS_DRS_OFFLINE";
inline constexpr std::string_view drive_failed = "VDS_DRS_FAILED";
inline constexpr std::string_view up = "up";
inline constexpr std::string_view down = "down";
} // namespace detail_value

class EventDetail {
public:
  /// Appends a field. Precondition: `key` is [a-z_]+ and not already present.
  EventDetail& field(std::string_view key, std::string_view value);
  EventDetail& field(std::string_view key, std::uint64_t value);
  /// Sets the note. Precondition: its first word is not a field (it has no '=' before a space).
  EventDetail& note(std::string text);

  /// The detail as events.csv writes it.
  std::string str() const;
  /// Reads a detail; never fails: from the first word that is not a field on, text is the note.
  static EventDetail parse(std::string_view text);

  /// The value of `key`, if present.
  std::optional<std::string_view> get(std::string_view key) const;
  /// The value of `key` as a whole number, if present and one.
  std::optional<std::uint64_t> number(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  const std::string& note() const { return note_; }

  friend bool operator==(const EventDetail&, const EventDetail&) = default;

private:
  std::vector<std::pair<std::string, std::string>> fields_;
  std::string note_;
};

} // namespace sim::base
