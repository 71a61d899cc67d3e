#include "sim/scenario/loader.hpp"

#include "sim/metrics/run_directory.hpp"

#include "sim/scenario/loader_sections.hpp"
#include "sim/scenario/yaml_reader.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sim::scenario {

using detail::hint_for;
using detail::join;
using detail::Loader;
using detail::MapReader;
using detail::q;
using detail::Reader;

namespace detail {

/// Edits (insert, delete, substitute, swap two adjacent characters) from a to b: "bd" is one
/// edit from "db", as typing slips go.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::size_t hint_limit(std::string_view word) {
  return std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
}

namespace {

/// edit_distance(candidate, word) row by row while a candidate grows and shrinks by its last
/// character (a depth-first walk over names), with a lower bound for every extension.
class DistanceRows {
public:
  explicit DistanceRows(std::string_view word) : word_(word), rows_(1, std::vector<std::size_t>(word.size() + 1)) {
    for (std::size_t j = 0; j <= word.size(); ++j) rows_[0][j] = j;
  }
  const std::string& candidate() const { return candidate_; }
  void clear() { candidate_.clear(); }
  void pop() { candidate_.pop_back(); }
  void push(char c) {
    candidate_.push_back(c);
    const std::size_t i = candidate_.size();
    if (rows_.size() <= i) rows_.emplace_back(word_.size() + 1);
    std::vector<std::size_t>& cur = rows_[i];
    const std::vector<std::size_t>& prev = rows_[i - 1];
    cur[0] = i;
    for (std::size_t j = 1; j <= word_.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (c == word_[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && c == word_[j - 2] && candidate_[i - 2] == word_[j - 1])
        cur[j] = std::min(cur[j], rows_[i - 2][j - 2] + 1);
    }
  }
  std::size_t distance() const { return rows_[candidate_.size()][word_.size()]; }
  /// No extension of the candidate is nearer: an alignment passes through the last row or,
  /// by a swap, through the one before it.
  std::size_t bound() const {
    const std::size_t i = candidate_.size();
    std::size_t b = *std::min_element(rows_[i].begin(), rows_[i].end());
    if (i > 0) b = std::min(b, *std::min_element(rows_[i - 1].begin(), rows_[i - 1].end()));
    return b;
  }

private:
  std::string_view word_;
  std::string candidate_;
  std::vector<std::vector<std::size_t>> rows_;  // rows_[i]: the candidate's first i characters
};

} // namespace

std::optional<std::uint32_t> drive_index(std::string_view digits, std::uint32_t count) {
  if (digits.empty() || digits.size() > 10 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v >= count) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

void DriveNames::add(const std::string& enclosure, std::uint32_t count) {
  std::uint32_t& n = enclosures_[enclosure];
  n = std::max(n, count);
}

bool DriveNames::contains(std::string_view name) const {
  const auto slash = name.rfind('/');
  if (slash == std::string_view::npos) return false;
  const auto e = enclosures_.find(name.substr(0, slash));
  return e != enclosures_.end() && drive_index(name.substr(slash + 1), e->second).has_value();
}

std::string DriveNames::first() const {
  std::string best;
  for (const auto& [name, count] : enclosures_)
    if (count > 0 && (best.empty() || name + "/0" < best)) best = name + "/0";
  return best;
}

std::string DriveNames::did_you_mean(std::string_view word, const std::vector<std::string>& then) const {
  // The nearest drive name, the first in string order among equals: a walk over each
  // enclosure's names as a tree of digits, cut where no name below can be as near.
  const std::size_t limit = hint_limit(word);
  std::size_t best_d = limit;
  std::string best;
  DistanceRows rows(word);
  auto consider = [&] {
    const std::size_t d = rows.distance();
    if (d > best_d) return;
    if (best.empty() || d < best_d || rows.candidate() < best) {
      best_d = d;
      best = rows.candidate();
    }
  };
  // Below the index `value` (written already): its names are value * 10 + digit, ... < count.
  auto walk = [&](auto& self, std::uint64_t value, std::uint32_t count) -> void {
    consider();
    if (value == 0) return;  // "0" heads no other index
    for (std::uint64_t digit = 0; digit < 10 && value * 10 + digit < count; ++digit) {
      rows.push(static_cast<char>('0' + digit));
      if (rows.bound() <= best_d) self(self, value * 10 + digit, count);
      rows.pop();
    }
  };
  for (const auto& [name, count] : enclosures_) {
    if (count == 0) continue;
    rows.clear();
    bool near = true;
    for (const char c : name + "/") {
      rows.push(c);
      if (rows.bound() > best_d) {
        near = false;
        break;
      }
    }
    if (!near) continue;
    for (std::uint64_t digit = 0; digit < 10 && digit < count; ++digit) {
      rows.push(static_cast<char>('0' + digit));
      if (rows.bound() <= best_d) walk(walk, digit, count);
      rows.pop();
    }
  }
  // Then `then`, in its order: one of them wins only by being nearer.
  for (const std::string& c : then) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d || (best.empty() && d <= best_d)) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

} // namespace detail

namespace {

// ---------------------------------------------------------------------------------------------
// --set overrides

/// Puts `value` at `path` in `root` (map keys, list items by `name:` or 0-based index; the last
/// key may be new). `at(column)` positions a message about the path element starting at that
/// 0-based column; `head` starts every message. `placed(key, value)` is called with the map
/// key and the value node once placed. Returns false after reporting an error.
template <class At, class Placed>
bool put_at_path(Reader& r, YAML::Node& root, const std::string& path, const YAML::Node& value,
                 const std::string& head, At at, Placed placed) {
  const auto split = split_path(path);
  if (!split) {
    r.error(at(split.error().column), head + split.error().message);
    return false;
  }
  const std::vector<PathElement>& parts = *split;
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  YAML::Node cur = root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& [part, column] = parts[i];
    const bool last = i + 1 == parts.size();
    const std::string where = walked.empty() ? "the scenario" : q(walked);
    const std::string here = walked.empty() ? part : walked + "." + part;
    if (cur.IsMap()) {
      if (last) {
        cur[part] = value;
        for (const auto& kv : cur)
          if (kv.first.IsScalar() && kv.first.Scalar() == part) placed(kv.first, cur[part], column);
        return true;
      }
      const YAML::Node& view = cur;  // a const lookup adds no key
      YAML::Node next = view[part];
      if (!next) {
        std::vector<std::string> keys;
        for (const auto& kv : cur)
          if (kv.first.IsScalar()) keys.push_back(kv.first.Scalar());
        r.error(at(column), head + "no key " + q(part) + " in " + where + hint_for(part, keys) +
                                (keys.empty() ? "" : "; keys there: " + join(keys)));
        return false;
      }
      cur.reset(next);
    } else if (cur.IsSequence()) {
      std::optional<YAML::Node> found;
      std::vector<std::string> names;
      std::size_t k = 0;
      for (const YAML::Node& item : cur) {
        const YAML::Node name = item.IsMap() ? item["name"] : YAML::Node();
        const bool named = name && name.IsScalar();
        if (named) names.push_back(name.Scalar());
        if ((named && name.Scalar() == part) || std::to_string(k) == part) {
          found = item;
          break;
        }
        ++k;
      }
      if (!found) {
        r.error(at(column), head + "no item named " + q(part) + " in " + where + hint_for(part, names) +
                                (names.empty() ? "" : "; names there: " + join(names)) + " (or give a 0-based index)");
        return false;
      }
      if (last) {
        r.error(at(column), head + "cannot replace a whole list item; set one of its keys (" + here + ".KEY=VALUE)");
        return false;
      }
      cur.reset(*found);
    } else {
      r.error(at(column), head + where + " holds a single value, so it has no " + q(part));
      return false;
    }
    walked = here;
  }
  return true;
}

void apply_override(Reader& r, YAML::Node& root, const Override& o) {
  const std::string label = o.origin + " " + o.text;
  // Diagnostics point into the text given on the command line (column 1 = first character).
  auto at = [&](std::size_t column0) { return base::SourceLoc{label, 1, static_cast<int>(column0) + 1}; };
  const auto eq = path_end(o.text);
  if (eq == std::string::npos || eq == 0) {
    r.error(at(0), o.origin + " expects path=value, e.g. subsystems.array-a.management_latency=50ms");
    return;
  }
  const std::string path = o.text.substr(0, eq);
  const std::string value = o.text.substr(eq + 1);
  const std::string head = o.origin + " " + q(path) + ": ";
  detail::YamlError syntax;
  const std::optional<YAML::Node> parsed = detail::parse_yaml(value, syntax);
  if (!parsed) {
    r.error(at(eq + 1 + static_cast<std::size_t>(syntax.line == 0 ? syntax.column : 0)),
            head + "the value is not valid YAML: " + syntax.message);
    return;
  }
  put_at_path(r, root, path, *parsed, head, at, [&](const YAML::Node& key, const YAML::Node& placed, std::size_t column) {
    r.add_override(placed, label, eq + 1);
    // A key that is new (not in the file) is positioned on the command line too.
    if (key.Mark().line < 0) r.add_override(key, label, column);
  });
}

/// Applies LoadOptions::sweep_point: for each axis of the `sweep.grid` map, its chosen value
/// node (which keeps its position in the section). A malformed section is left to the section's
/// own checks.
void apply_sweep_point(Reader& r, YAML::Node& root, const std::vector<std::size_t>& point) {
  const YAML::Node& view = root;
  const YAML::Node sweep = view.IsMap() ? view["sweep"] : YAML::Node();
  const YAML::Node grid = sweep && sweep.IsMap() ? sweep["grid"] : YAML::Node();
  if (!grid || !grid.IsMap()) return;
  std::vector<std::pair<YAML::Node, YAML::Node>> axes;  // key, value
  for (const auto& kv : grid) {
    if (!kv.first.IsScalar() || !kv.second.IsSequence()) return;
    axes.emplace_back(kv.first, kv.second);
  }
  if (axes.size() != point.size())
    throw std::invalid_argument("sweep point of " + std::to_string(point.size()) + " values for a grid of " +
                                std::to_string(axes.size()) + " axes");
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const auto& [key, values] = axes[k];
    if (point[k] >= values.size()) throw std::invalid_argument("sweep point value index out of range");
    const std::string path = key.Scalar();
    const base::SourceLoc key_at = r.loc(key);
    auto at = [&](std::size_t column0) {
      return base::SourceLoc{key_at.file, key_at.line, key_at.column + static_cast<int>(column0)};
    };
    const YAML::Node value = values[point[k]];
    put_at_path(r, root, path, value, "sweep grid " + q(path) + ": ", at,
                [&](const YAML::Node& new_key, const YAML::Node&, std::size_t) {
                  if (new_key.Mark().line < 0) r.relocate(new_key, r.loc(value));
                });
  }
}

} // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = detail::edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best_d <= detail::hint_limit(word) ? best : std::string();
}

std::string rewrite_scenario(std::string_view text, std::string file, const std::vector<Override>& sets) {
  Reader r(file);
  detail::YamlError syntax;
  std::optional<YAML::Node> parsed = detail::parse_yaml(text, syntax);
  if (!parsed) throw std::invalid_argument(file + ": YAML syntax error: " + syntax.message);
  YAML::Node root = *parsed;
  for (const auto& o : sets) apply_override(r, root, o);
  const std::vector<base::Diagnostic> d = r.take_diagnostics();
  if (!d.empty()) throw std::invalid_argument(d.front().format());
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

LoadResult load_scenario(std::string_view text, std::string file, const LoadOptions& options) {
  LoadResult result;
  Reader r(file);
  r.base_dir = std::filesystem::path(file).parent_path();
  detail::YamlError syntax;
  std::optional<YAML::Node> parsed = detail::parse_yaml(text, syntax);
  if (!parsed) {
    r.error(base::SourceLoc{file, syntax.line + 1, syntax.column + 1}, "YAML syntax error: " + syntax.message);
    result.diagnostics = r.take_diagnostics();
    result.error_count = r.errors();
    return result;
  }
  YAML::Node root = *parsed;
  for (const auto& o : options.sets) apply_override(r, root, o);
  if (!options.sweep_point.empty()) apply_sweep_point(r, root, options.sweep_point);
  if (!root || root.IsNull()) {
    r.error(base::SourceLoc{file, 1, 1}, "empty scenario: expected a map with at least 'name', 'drive_models' and 'subsystems'");
    result.diagnostics = r.take_diagnostics();
    result.error_count = r.errors();
    return result;
  }
  ScenarioSpec spec;
  spec.file = file;
  spec.text = std::string(text);
  Loader l(r, spec);
  MapReader top(r, root, "scenario",
                {"schema_version", "name", "seed", "horizon", "drive_models", "subsystems", "provider", "workload",
                 "metrics", "failures", "repair", "reliability", "topology", "sweep"});
  if (top.ok()) {
    if (top.has("schema_version"))
      detail::get_count(r, top.get("schema_version"), "schema_version", 1, 1);
    if (const YAML::Node n = top.required("name"))
      if (auto s = detail::get_string(r, n, "name")) spec.name = *s;
    if (top.has("seed"))
      if (auto s = detail::get_count(r, top.get("seed"), "seed", 0, UINT64_MAX)) spec.seed = *s;
    l.horizon_given = top.has("horizon");
    if (top.has("horizon"))
      if (auto d = detail::get_duration(r, top.get("horizon"), "horizon")) {
        if (d->count() <= 0) r.error(top.get("horizon"), "key 'horizon': must be greater than 0");
        spec.horizon = base::at(*d);
        spec.horizon_loc = r.loc(top.get("horizon"));
      }
    if (top.has("drive_models")) l.drive_models(top.get("drive_models"));  // optional: presets need none
    if (const YAML::Node n = top.required("subsystems")) l.subsystems(n);
    if (top.has("workload")) l.workload(top.get("workload"));
    if (top.has("metrics")) l.metrics(top.get("metrics"));
    if (top.has("provider")) l.provider_section(top.get("provider"));
    if (top.has("failures")) l.failures_section(top.get("failures"));
    if (top.has("repair")) l.repair_section(top.get("repair"));
    if (top.has("reliability")) l.reliability_section(top.get("reliability"));
    if (top.has("topology")) l.topology_section(top.get("topology"));
    if (top.has("sweep")) l.sweep_section(top.get("sweep"));
    l.cross_check();
    l.check_failures();
    l.check_topology();
    l.expand_after();
  }
  if (options.seed) spec.seed = *options.seed;
  result.diagnostics = r.take_diagnostics();
  result.error_count = r.errors();
  if (result.error_count == 0) result.spec = std::move(spec);
  return result;
}

bool print_diagnostics(const LoadResult& result, std::ostream& err) {
  for (const auto& d : result.diagnostics) err << d.format() << '\n';
  if (result.spec) return true;
  err << result.error_count << (result.error_count == 1 ? " error" : " errors") << '\n';
  return false;
}

base::Result<std::string, ReadFailure> read_scenario_file(const std::filesystem::path& path) {
  auto text = metrics::read_regular_file(path, std::uintmax_t{16} << 20);
  if (!text) return ReadFailure{text.error().reason};
  // Classic Mac OS line ends (a lone CR) are line ends too: yaml-cpp reads only LF and CRLF, and
  // would see one line.
  std::string& s = text.value();
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) s[i] = '\n';
  return std::move(s);
}

LoadResult load_scenario_file(const std::filesystem::path& path, const LoadOptions& options) {
  auto text = read_scenario_file(path);
  if (!text) {
    LoadResult r;
    r.diagnostics.push_back(base::Diagnostic::error(base::SourceLoc{path.string(), 0, 0},
                                                    "cannot read the scenario file: " + text.error().reason));
    r.error_count = 1;
    return r;
  }
  return load_scenario(text.value(), path.string(), options);
}

base::Result<std::vector<PathElement>, PathError> split_path(std::string_view path) {
  std::vector<PathElement> parts;
  std::size_t i = 0;
  for (;;) {
    PathElement e;
    e.column = i;
    if (i < path.size() && path[i] == '"') {
      const std::size_t close = path.find('"', i + 1);
      if (close == std::string_view::npos)
        return PathError{"unterminated quote (a quoted key ends with a second '\"')", i};
      e.key = std::string(path.substr(i + 1, close - i - 1));
      i = close + 1;
      if (i < path.size() && path[i] != '.')
        return PathError{"text after a quoted key (separate keys with single dots)", i};
      if (e.key.empty()) return PathError{"empty quoted key", e.column};
    } else {
      const std::size_t dot = path.find('.', i);
      const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
      e.key = std::string(path.substr(i, end - i));
      if (e.key.find('"') != std::string::npos)
        return PathError{"a quote inside a key (quote the whole key: \"sas-1.2t\")", i + e.key.find('"')};
      if (e.key.empty()) return PathError{"empty path element (separate keys with single dots)", i};
      i = end;
    }
    parts.push_back(std::move(e));
    if (i >= path.size()) break;
    ++i;  // the dot
    if (i >= path.size()) return PathError{"empty path element (separate keys with single dots)", i};
  }
  return parts;
}

std::size_t path_end(std::string_view text) {
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    else if (text[i] == '=' && !quoted) return i;
  }
  return std::string_view::npos;
}

} // namespace sim::scenario
