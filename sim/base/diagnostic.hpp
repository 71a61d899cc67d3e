// Diagnostics: positioned, compiler-style messages for bad input.
//
// A Diagnostic is a value: the scenario loader collects them, sorts them by position and
// prints them all; nothing global. Lines and columns are 1-based (0 means "unknown").
// Formatted as `file:line:column: error: message`, the shape editors and CI logs link to.
#pragma once

#include <compare>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace sim::base {

struct SourceLoc {
  std::string file;
  int line = 0;    ///< 1-based; 0 when unknown
  int column = 0;  ///< 1-based; 0 when unknown

  friend auto operator<=>(const SourceLoc&, const SourceLoc&) = default;
};

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  SourceLoc loc;
  Severity severity = Severity::Error;
  std::string message;

  /// "file:line:column: error: message"; without a file, "error: message"; a missing line or
  /// column is left out ("file: error: ...", "file:3: error: ...").
  std::string format() const;

  static Diagnostic error(SourceLoc loc, std::string message) {
    return Diagnostic{std::move(loc), Severity::Error, std::move(message)};
  }
  static Diagnostic warning(SourceLoc loc, std::string message) {
    return Diagnostic{std::move(loc), Severity::Warning, std::move(message)};
  }
  static Diagnostic note(SourceLoc loc, std::string message) {
    return Diagnostic{std::move(loc), Severity::Note, std::move(message)};
  }
};

const char* to_string(Severity s);
std::ostream& operator<<(std::ostream& os, const Diagnostic& d);

/// Sorts by (file, line, column) keeping the insertion order of equal positions.
void sort_by_position(std::vector<Diagnostic>& diagnostics);
bool has_errors(const std::vector<Diagnostic>& diagnostics);

} // namespace sim::base
