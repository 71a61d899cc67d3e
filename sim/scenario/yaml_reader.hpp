// Positioned, typed reading of a yaml-cpp tree for the scenario loader (internal to
// sim/scenario; yaml-cpp appears in no other layer).
//
// Reader holds the file name, the diagnostics collected so far and the nodes that came from
// `--set` (whose positions are on the command line). MapReader checks a map's keys once —
// unknown keys (with "did you mean"), duplicates — and hands out values; the typed getters turn
// scalars into durations, sizes, rates, counts and distributions, reporting every failure as a
// diagnostic that names the key and what is accepted, and returning nullopt.
#pragma once

#include "sim/base/diagnostic.hpp"
#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/distribution.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::scenario::detail {

/// `s` in single quotes, as messages quote names and values.
/// `s` quoted for a message; a value longer than 120 bytes is cut there (at a character
/// boundary) with its size, so a 5 MB value makes no 5 MB message.
inline std::string q(std::string_view s) {
  if (s.size() <= 120) return "'" + std::string(s) + "'";
  std::size_t cut = 100;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(s.substr(0, cut)) + "...' (" + std::to_string(s.size()) + " bytes)";
}

/// The items separated by ", ".
inline std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  /// Position of `n` (plus `offset` characters into its text).
  base::SourceLoc loc(const YAML::Node& n, std::size_t offset = 0) const;
  void error(base::SourceLoc at, std::string message);
  void error(const YAML::Node& at, std::string message, std::size_t offset = 0) { error(loc(at, offset), std::move(message)); }
  bool failed() const { return errors_ > 0; }
  /// Errors reported so far, including those past `max_kept_errors` (counted, not kept).
  std::size_t errors() const { return errors_; }
  /// The diagnostics sorted by position; when errors were dropped, a note after them says how
  /// many.
  std::vector<base::Diagnostic> take_diagnostics();
  /// Errors kept as diagnostics; later ones are only counted, so a flood of bad input (a
  /// million empty flow entries) costs neither memory nor a million lines of stderr.
  static constexpr std::size_t max_kept_errors = 100;

  /// Marks `node` (and everything under it) as coming from the command-line text `label`
  /// ("--set path=value"), its value starting at character `value_column` (0-based) of the
  /// text after the option name.
  void add_override(YAML::Node node, std::string label, std::size_t value_column);
  /// Positions `node` (a key a grid value created) at `at`.
  void relocate(YAML::Node node, base::SourceLoc at);
  /// Folder of the scenario file, for relative paths (empirical samples).
  std::filesystem::path base_dir;

private:
  struct OverrideNode {
    YAML::Node node;
    std::string label;
    std::size_t value_column;
    std::optional<base::SourceLoc> fixed;  // relocate(): this position, whatever the column
  };
  std::string file_;
  std::vector<base::Diagnostic> diagnostics_;
  std::vector<OverrideNode> overrides_;
  std::size_t errors_ = 0;
};

/// A YAML map whose keys were checked against `known`.
class MapReader {
public:
  /// `what` describes the map in messages ("drive model 'nl-sas'", "workload item 3").
  MapReader(Reader& r, const YAML::Node& node, std::string what, std::vector<std::string> known);

  bool ok() const { return ok_; }
  const YAML::Node& node() const { return node_; }
  const std::string& what() const { return what_; }
  bool has(std::string_view key) const;
  /// The value, or an invalid node when absent.
  YAML::Node get(std::string_view key) const;
  /// The value; absent: an error "missing required key" at the map, and an invalid node.
  YAML::Node required(std::string_view key) const;
  /// The position of `key` itself.
  base::SourceLoc key_loc(std::string_view key) const;

private:
  Reader* r_;
  YAML::Node node_;
  std::string what_;
  bool ok_ = false;
};

/// "a map", "a list", "nothing" or the quoted scalar: what was found, for messages.
std::string describe_kind(const YAML::Node& v);

/// A YAML syntax problem in lunsim's own words (yaml-cpp's messages never reach the user).
/// `line` and `column` are 0-based in the parsed text.
struct YamlError {
  int line = 0;
  int column = 0;
  std::string message;
};

/// Parses `text` as one YAML document (empty text gives a null node). On a syntax error, a
/// quoted string that never ends (which yaml-cpp accepts, swallowing the rest of the file) or a
/// second document (`---`), returns nullopt and describes the problem in `error`.
std::optional<YAML::Node> parse_yaml(std::string_view text, YamlError& error);

// Typed getters. `key` names the value in messages; each reports its own errors.
std::optional<std::string> get_string(Reader& r, const YAML::Node& v, std::string_view key);
std::optional<std::uint64_t> get_count(Reader& r, const YAML::Node& v, std::string_view key, std::uint64_t min,
                                       std::uint64_t max);
std::optional<double> get_number(Reader& r, const YAML::Node& v, std::string_view key);
std::optional<bool> get_bool(Reader& r, const YAML::Node& v, std::string_view key);
std::optional<base::Duration> get_duration(Reader& r, const YAML::Node& v, std::string_view key);
std::optional<base::Bytes> get_bytes(Reader& r, const YAML::Node& v, std::string_view key);
std::optional<base::Rate> get_rate(Reader& r, const YAML::Node& v, std::string_view key);
std::optional<base::OpRate> get_op_rate(Reader& r, const YAML::Node& v, std::string_view key);
std::optional<double> get_percent(Reader& r, const YAML::Node& v, std::string_view key);
/// A duration scalar (constant) or a map {dist: constant|uniform|exponential|normal|lognormal|
/// weibull|empirical, ...}.
std::optional<engine::Distribution> get_distribution(Reader& r, const YAML::Node& v, std::string_view key);
/// A scalar or a list of scalars.
std::optional<std::vector<std::pair<std::string, base::SourceLoc>>> get_names(Reader& r, const YAML::Node& v,
                                                                               std::string_view key);

} // namespace sim::scenario::detail
