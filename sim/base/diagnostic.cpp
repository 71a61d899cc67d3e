#include "sim/base/diagnostic.hpp"

#include <algorithm>
#include <ostream>

namespace sim::base {

namespace {

/// `text` safe for a terminal and a one-line message: control characters (a scenario could
/// carry terminal escapes or line breaks) as \xNN, and beyond `limit` bytes the middle cut out.
std::string printable(std::string_view text, std::size_t limit) {
  std::string out;
  auto put = [&](std::string_view part) {
    for (const char ch : part) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7f) {
        static const char hex[] = "0123456789abcdef";
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += ch;
      }
    }
  };
  if (text.size() <= limit) {
    put(text);
    return out;
  }
  // Cut at character boundaries (not inside a UTF-8 sequence).
  std::size_t head = limit * 3 / 4, tail = text.size() - limit / 4;
  while (head > 0 && (static_cast<unsigned char>(text[head]) & 0xC0) == 0x80) --head;
  while (tail < text.size() && (static_cast<unsigned char>(text[tail]) & 0xC0) == 0x80) ++tail;
  put(text.substr(0, head));
  out += " [... " + std::to_string(tail - head) + " bytes cut ...] ";
  put(text.substr(tail));
  return out;
}

} // namespace

std::string Diagnostic::format() const {
  std::string out;
  if (!loc.file.empty()) {
    out += printable(loc.file, 4096);
    if (loc.line > 0) {
      out += ':' + std::to_string(loc.line);
      if (loc.column > 0)
        out += ':' + std::to_string(loc.column);
    }
    out += ": ";
  }
  out += to_string(severity);
  out += ": ";
  out += printable(message, 2000);
  return out;
}

const char* to_string(Severity s) {
  switch (s) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

std::ostream& operator<<(std::ostream& os, const Diagnostic& d) { return os << d.format(); }

void sort_by_position(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.loc < b.loc; });
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

} // namespace sim::base
