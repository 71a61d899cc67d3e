#include "sim/base/diagnostic.hpp"

#include <algorithm>
#include <ostream>

namespace sim::base {

std::string Diagnostic::format() const {
  std::string out;
  if (!loc.file.empty()) {
    out += loc.file;
    if (loc.line > 0) {
      out += ':' + std::to_string(loc.line);
      if (loc.column > 0)
        out += ':' + std::to_string(loc.column);
    }
    out += ": ";
  }
  out += to_string(severity);
  out += ": ";
  out += message;
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
