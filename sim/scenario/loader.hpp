// Loading a scenario: YAML text -> ScenarioSpec, or every error at once.
//
// Three passes (STYLE rule 12): parse (yaml-cpp is used here and nowhere else), validate while
// collecting diagnostics, then cross-check references (models, subsystems, drives, LUNs,
// `after:` dependencies, which must form no cycle). Every diagnostic is positioned
// (`file:line:column`, 1-based), names the key and what is accepted, and unknown keys get a
// "did you mean". yaml-cpp's own messages never reach the user. Diagnostics come back sorted by
// position. A spec is returned only when there is no error.
//
// Overrides (`--set path=value`) are applied to the YAML tree before validation: the path walks
// map keys, and list items by their `name:` (or a 0-based index), e.g.
// `subsystems.array-a.management_latency=50ms`; the value is parsed as YAML (`{dist: ...}`
// works). A path through something that does not exist is an error; the last key may be new
// (validation then checks it). Diagnostics about an overridden value point at the command line.
// A key that contains a dot (or `=`) is written in double quotes: `drive_models."sas-1.2t".latency`
// (inside the quotes every character is literal; a key containing a double quote cannot be
// named).
//
// The `sweep:` section (SweepSpec) lists grid axes; LoadOptions::sweep_point picks one value of
// each, applied like an override before validation, so a grid point loads exactly as the same
// scenario with `--set path=value` for each of its values.
#pragma once

#include "sim/base/diagnostic.hpp"
#include "sim/base/result.hpp"
#include "sim/scenario/spec.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::scenario {

struct Override {
  std::string text;             ///< "path=value" as given
  std::string origin = "--set"; ///< the option it came from, naming it in diagnostics ("--grid")
};

struct LoadOptions {
  std::vector<Override> sets;
  std::optional<std::uint64_t> seed;  ///< --seed: replaces the scenario's seed
  /// One grid point of the file's `sweep:` section: for axis k (file order), the index of the
  /// value to use. Applied after `sets`, as if each were a `--set` of that path (a grid value
  /// replaces what `--set` gave the same path); diagnostics about a value point at it in the
  /// section. Empty: no point (the section is only checked). Its size must equal the number of
  /// axes and each index must be in range when the section is valid (std::invalid_argument
  /// otherwise).
  std::vector<std::size_t> sweep_point;
};

struct LoadResult {
  std::optional<ScenarioSpec> spec;              ///< set when there is no error
  std::vector<base::Diagnostic> diagnostics;     ///< sorted by position
  /// Errors found, including those not kept in `diagnostics` (at most the first 100 are: a
  /// note after them counts the rest).
  std::size_t error_count = 0;
};

/// Prints the diagnostics to `err`, one per line, then, when the scenario has errors, their
/// count ("3 errors"). True when the scenario loaded (no error).
bool print_diagnostics(const LoadResult& result, std::ostream& err);

/// Loads scenario text; `file` names it in diagnostics.
LoadResult load_scenario(std::string_view text, std::string file, const LoadOptions& options = {});
/// `text` with `sets` applied, as YAML text (comments and layout are not kept; keys keep their
/// order): a file that loads as `text` with those overrides does (`lunsim explore` writes its
/// reproducers so). Throws std::invalid_argument with the first diagnostic when the text does
/// not parse or an override does not apply.
std::string rewrite_scenario(std::string_view text, std::string file, const std::vector<Override>& sets);
/// A scenario file's text as load_scenario_file reads it: a regular file of at most 16 MiB
/// (metrics::read_regular_file: no FIFO, device or directory is read), lone CRs (classic Mac OS
/// line ends) turned into LFs, lines keeping their numbers. The failure is why it cannot be
/// read ("not a regular file", "larger than 16777216 bytes", the system's message).
struct ReadFailure {
  std::string reason;
};
base::Result<std::string, ReadFailure> read_scenario_file(const std::filesystem::path& path);
/// Reads (read_scenario_file) and loads a file (an unreadable file is a diagnostic too).
LoadResult load_scenario_file(const std::filesystem::path& path, const LoadOptions& options = {});

/// Warnings (base::Severity::Warning) for `create_lun` operations that cannot fit the drives they
/// name or could be given, judged from the scenario alone: each member must hold the LUN's
/// per-member extent (storage::plan; a span needs the sum), and the subsystem must have enough
/// drives that are not hot spares and are large enough. Capacity taken by other LUNs is not
/// counted (a LUN that fits an empty array may still fail later): only what can never fit is
/// reported. Located at the operation, with what it needs and what the drives hold. Also a
/// warning when the time series would pass 10^7 rows (they stream to disk, so the horizon costs
/// disk, not memory), located at `metrics` (else `horizon`).
std::vector<base::Diagnostic> capacity_warnings(const ScenarioSpec& spec);

/// A `--set`/`--grid` path split into its elements, each with the 0-based column where it starts
/// in the path: split at dots outside double quotes; a quoted element ("sas-1.2t") loses its
/// quotes. Returns the error message (with `column` set) for an empty element or an unterminated
/// quote.
struct PathElement {
  std::string key;
  std::size_t column = 0;
};
struct PathError {
  std::string message;
  std::size_t column = 0;
};
base::Result<std::vector<PathElement>, PathError> split_path(std::string_view path);

/// The position of the `=` that ends the path of a `path=value` text: the first one outside
/// double quotes (std::string_view::npos when there is none).
std::size_t path_end(std::string_view text);

/// The closest of `candidates` to `word` when it is close enough to suggest, else empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace sim::scenario
