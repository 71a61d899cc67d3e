// One name table per enum: the names an enum's values have in scenarios, on the command line
// and in outputs, defined once and used by the parser, by the "accepted: ..." lists of error
// messages and by the writers, so the three can never disagree.
//
//   inline constexpr base::NameTable<Placement, 4> placement_names{{{
//       {Placement::Balanced, "balanced"}, {Placement::Spread, "spread"}, ...}}};
//   placement_names.name(Placement::Pack)   // "pack"
//   placement_names.parse("spread")         // Placement::Spread; nullopt for an unknown name
//   placement_names.accepted()              // "balanced, spread, pack, explicit"
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim::base {

template <class E, std::size_t N>
class NameTable {
public:
  using Entry = std::pair<E, std::string_view>;

  /// Entries in the order lists show them; each value and each name at most once.
  constexpr explicit NameTable(std::array<Entry, N> entries) : entries_(entries) {}

  /// The value's name; "unknown" for a value the table lacks.
  constexpr std::string_view name(E value) const {
    for (const Entry& e : entries_)
      if (e.first == value) return e.second;
    return "unknown";
  }
  /// The same as a NUL-terminated string (the names are string literals).
  constexpr const char* c_str(E value) const { return name(value).data(); }
  constexpr std::optional<E> parse(std::string_view text) const {
    for (const Entry& e : entries_)
      if (e.second == text) return e.first;
    return std::nullopt;
  }
  constexpr const std::array<Entry, N>& entries() const { return entries_; }
  /// Every name, in table order (for "did you mean" suggestions).
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    out.reserve(N);
    for (const Entry& e : entries_) out.emplace_back(e.second);
    return out;
  }
  /// Every name, in table order, joined by ", ": the "accepted: ..." list of a message.
  std::string accepted() const {
    std::string out;
    for (const Entry& e : entries_) {
      if (!out.empty()) out += ", ";
      out += e.second;
    }
    return out;
  }

private:
  std::array<Entry, N> entries_;
};

} // namespace sim::base
