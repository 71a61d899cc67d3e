#include "sim/base/event_detail.hpp"

#include <charconv>

namespace sim::base {

namespace {

bool is_key_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

bool needs_quotes(std::string_view v) {
  return v.empty() || v.front() == '"' || v.find(' ') != std::string_view::npos;
}

void append_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

/// Reads a field at `pos` of `text`: key=value up to the next space (or a quoted value). On
/// success `pos` is past it (at the space or the end).
bool read_field(std::string_view text, std::size_t& pos, std::string& key, std::string& value) {
  std::size_t i = pos;
  while (i < text.size() && is_key_char(text[i])) ++i;
  if (i == pos || i >= text.size() || text[i] != '=') return false;
  key.assign(text.substr(pos, i - pos));
  value.clear();
  ++i;
  if (i < text.size() && text[i] == '"') {
    ++i;
    for (;;) {
      if (i >= text.size()) return false;  // never closed: not a field
      if (text[i] == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          value += '"';
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      value += text[i++];
    }
    if (i < text.size() && text[i] != ' ') return false;
  } else {
    const std::size_t end = text.find(' ', i);
    const std::size_t stop = end == std::string_view::npos ? text.size() : end;
    if (stop == i) return false;  // empty bare value
    value.assign(text.substr(i, stop - i));
    i = stop;
  }
  pos = i;
  return true;
}

} // namespace

EventDetail& EventDetail::field(std::string_view key, std::string_view value) {
  fields_.emplace_back(std::string(key), std::string(value));
  return *this;
}

EventDetail& EventDetail::field(std::string_view key, std::uint64_t value) {
  return field(key, std::string_view(std::to_string(value)));
}

EventDetail& EventDetail::note(std::string text) {
  note_ = std::move(text);
  return *this;
}

std::string EventDetail::str() const {
  std::string out;
  for (const auto& [k, v] : fields_) {
    if (!out.empty()) out += ' ';
    out += k;
    out += '=';
    append_value(out, v);
  }
  if (!note_.empty()) {
    if (!out.empty()) out += ' ';
    out += note_;
  }
  return out;
}

EventDetail EventDetail::parse(std::string_view text) {
  EventDetail d;
  std::size_t pos = 0;
  std::string key, value;
  while (pos < text.size()) {
    std::size_t at = pos;
    if (!read_field(text, at, key, value)) break;
    d.fields_.emplace_back(key, value);
    pos = at;
    if (pos < text.size()) ++pos;  // the space
  }
  d.note_.assign(text.substr(pos));
  return d;
}

std::optional<std::string_view> EventDetail::get(std::string_view key) const {
  for (const auto& [k, v] : fields_)
    if (k == key) return std::string_view(v);
  return std::nullopt;
}

std::optional<std::uint64_t> EventDetail::number(std::string_view key) const {
  const auto v = get(key);
  if (!v) return std::nullopt;
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc() || end != v->data() + v->size()) return std::nullopt;
  return x;
}

} // namespace sim::base
