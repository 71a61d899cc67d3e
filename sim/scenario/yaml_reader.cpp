#include "sim/scenario/yaml_reader.hpp"

#include "sim/base/units.hpp"
#include "sim/metrics/csv.hpp"
#include "sim/scenario/loader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace sim::scenario::detail {

namespace {

bool contains(const YAML::Node& root, const YAML::Node& n) {
  if (root.is(n)) return true;
  if (root.IsMap()) {
    for (const auto& kv : root)
      if (contains(kv.first, n) || contains(kv.second, n)) return true;
  } else if (root.IsSequence()) {
    for (const auto& item : root)
      if (contains(item, n)) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::string q(std::string_view s) { return "'" + std::string(s) + "'"; }

/// Offset of the scalar's text from its mark: 1 for quoted scalars.
std::size_t text_offset(const YAML::Node& v) { return v.Tag() == "!" ? 1 : 0; }

std::string describe_kind(const YAML::Node& v) {
  if (v.IsMap()) return "a map";
  if (v.IsSequence()) return "a list";
  if (v.IsNull()) return "nothing";
  return q(v.Scalar());
}

} // namespace

base::SourceLoc Reader::loc(const YAML::Node& n, std::size_t offset) const {
  const YAML::Mark m = n.Mark();
  for (const auto& o : overrides_)
    if (contains(o.node, n)) {
      const int col = m.line == 0 && m.column >= 0 ? m.column : 0;
      return base::SourceLoc{"--set " + o.text, 1, static_cast<int>(o.value_column) + col + static_cast<int>(offset) + 1};
    }
  if (m.line < 0) return base::SourceLoc{file_, 0, 0};
  return base::SourceLoc{file_, m.line + 1, m.column + 1 + static_cast<int>(offset)};
}

void Reader::error(base::SourceLoc at, std::string message) {
  ++errors_;
  diagnostics_.push_back(base::Diagnostic::error(std::move(at), std::move(message)));
}

std::vector<base::Diagnostic> Reader::take_diagnostics() {
  std::vector<base::Diagnostic> d = std::move(diagnostics_);
  diagnostics_.clear();
  base::sort_by_position(d);
  return d;
}

void Reader::add_override(YAML::Node node, std::string text, std::size_t value_column) {
  overrides_.push_back(OverrideNode{std::move(node), std::move(text), value_column});
}

MapReader::MapReader(Reader& r, const YAML::Node& node, std::string what, std::vector<std::string> known)
    : r_(&r), node_(node), what_(std::move(what)) {
  if (!node.IsMap()) {
    r.error(node, what_ + ": expected a map of keys (" + join(known) + "), found " + describe_kind(node));
    return;
  }
  ok_ = true;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      r.error(kv.first, what_ + ": keys must be plain words");
      continue;
    }
    const std::string& key = kv.first.Scalar();
    if (!seen.insert(key).second) {
      r.error(kv.first, what_ + ": duplicate key " + q(key));
      continue;
    }
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      const std::string hint = did_you_mean(key, known);
      r.error(kv.first, what_ + ": unknown key " + q(key) +
                            (hint.empty() ? "" : " (did you mean " + q(hint) + "?)") + "; accepted: " + join(known));
    }
  }
}

bool MapReader::has(std::string_view key) const { return ok_ && static_cast<bool>(node_[std::string(key)]); }

YAML::Node MapReader::get(std::string_view key) const {
  if (!ok_) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& n = node_;
  return n[std::string(key)];
}

YAML::Node MapReader::required(std::string_view key) const {
  YAML::Node v = get(key);
  if (ok_ && !v) r_->error(node_, what_ + ": missing required key " + q(key));
  return v;
}

base::SourceLoc MapReader::key_loc(std::string_view key) const {
  for (const auto& kv : node_)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return r_->loc(kv.first);
  return r_->loc(node_);
}

std::optional<std::string> get_string(Reader& r, const YAML::Node& v, std::string_view key) {
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a text value, found " + describe_kind(v));
    return std::nullopt;
  }
  if (v.Scalar().empty()) {
    r.error(v, "key " + q(key) + ": must not be empty");
    return std::nullopt;
  }
  return v.Scalar();
}

std::optional<std::uint64_t> get_count(Reader& r, const YAML::Node& v, std::string_view key, std::uint64_t min,
                                       std::uint64_t max) {
  const std::string range = " from " + std::to_string(min) + " to " + std::to_string(max);
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a whole number" + range + ", found " + describe_kind(v));
    return std::nullopt;
  }
  const std::string& s = v.Scalar();
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc::result_out_of_range) {
    r.error(v, "key " + q(key) + ": " + q(s) + " is out of range (accepted:" + range + ")", text_offset(v));
    return std::nullopt;
  }
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
    r.error(v, "key " + q(key) + ": expected a whole number" + range + ", got " + q(s), text_offset(v));
    return std::nullopt;
  }
  if (n < min || n > max) {
    r.error(v, "key " + q(key) + ": " + s + " is out of range (accepted:" + range + ")", text_offset(v));
    return std::nullopt;
  }
  return n;
}

std::optional<double> get_number(Reader& r, const YAML::Node& v, std::string_view key) {
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a number, found " + describe_kind(v));
    return std::nullopt;
  }
  const std::string& s = v.Scalar();
  bool negative = !s.empty() && s[0] == '-';
  const auto d = base::parse_decimal(negative ? std::string_view(s).substr(1) : std::string_view(s));
  if (!d) {
    r.error(v, "key " + q(key) + ": expected a plain number such as 1.5, got " + q(s), text_offset(v));
    return std::nullopt;
  }
  const double x = d->to_double();
  return negative ? -x : x;
}

std::optional<bool> get_bool(Reader& r, const YAML::Node& v, std::string_view key) {
  if (v.IsScalar()) {
    const std::string& s = v.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  r.error(v, "key " + q(key) + ": expected true or false, found " + describe_kind(v));
  return std::nullopt;
}

template <class T, class F>
std::optional<T> get_unit(Reader& r, const YAML::Node& v, std::string_view key, const char* example, F parse) {
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a value with a unit such as " + example + ", found " + describe_kind(v));
    return std::nullopt;
  }
  auto result = parse(v.Scalar());
  if (!result) {
    r.error(v, "key " + q(key) + ": " + result.error().message, text_offset(v) + result.error().offset);
    return std::nullopt;
  }
  return *result;
}

std::optional<base::Duration> get_duration(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::Duration>(r, v, key, "250ms", base::parse_duration);
}
std::optional<base::Bytes> get_bytes(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::Bytes>(r, v, key, "4KiB", base::parse_bytes);
}
std::optional<base::Rate> get_rate(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::Rate>(r, v, key, "250MB/s", base::parse_rate);
}
std::optional<base::OpRate> get_op_rate(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::OpRate>(r, v, key, "150/s", base::parse_op_rate);
}
std::optional<double> get_percent(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<double>(r, v, key, "70%", base::parse_percent);
}

namespace {

std::optional<engine::Distribution> empirical(Reader& r, const MapReader& m) {
  const auto file = get_string(r, m.required("file"), "file");
  if (!file) return std::nullopt;
  const std::filesystem::path path = r.base_dir / *file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.error(m.get("file"), "key 'file': cannot read " + q(path.string()));
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const auto rows = metrics::parse_csv(ss.str());
  if (rows.size() < 2) {
    r.error(m.get("file"), "key 'file': " + q(path.string()) + " has no data rows (a header row, then samples)");
    return std::nullopt;
  }
  std::size_t col = 0;
  if (m.has("column")) {
    const auto name = get_string(r, m.get("column"), "column");
    if (!name) return std::nullopt;
    const auto it = std::find(rows[0].begin(), rows[0].end(), *name);
    if (it == rows[0].end()) {
      r.error(m.get("column"), "key 'column': no column " + q(*name) + " in " + q(path.string()) +
                                   " (columns: " + join(rows[0]) + ")");
      return std::nullopt;
    }
    col = static_cast<std::size_t>(it - rows[0].begin());
  }
  std::vector<base::Duration> samples;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].size() == 1 && rows[i][0].empty()) continue;
    if (col >= rows[i].size()) {
      r.error(m.get("file"), path.string() + ":" + std::to_string(i + 1) + ": missing column " + std::to_string(col + 1));
      return std::nullopt;
    }
    const auto d = base::parse_duration(rows[i][col]);
    if (!d) {
      r.error(m.get("file"), path.string() + ":" + std::to_string(i + 1) + ": sample " + q(rows[i][col]) + ": " +
                                 d.error().message);
      return std::nullopt;
    }
    samples.push_back(*d);
  }
  if (samples.empty()) {
    r.error(m.get("file"), "key 'file': " + q(path.string()) + " has no samples");
    return std::nullopt;
  }
  return engine::Distribution::empirical(std::move(samples));
}

} // namespace

std::optional<engine::Distribution> get_distribution(Reader& r, const YAML::Node& v, std::string_view key) {
  if (v.IsScalar()) {
    const auto d = get_duration(r, v, key);
    if (!d) return std::nullopt;
    return engine::Distribution::constant(*d);
  }
  static const std::vector<std::string> kinds = {"constant", "uniform", "exponential", "normal",
                                                 "lognormal", "weibull", "empirical"};
  if (!v.IsMap()) {
    r.error(v, "key " + q(key) + ": expected a duration such as 5ms or a map {dist: " + join(kinds) + ", ...}");
    return std::nullopt;
  }
  const YAML::Node kind_node = v["dist"];
  if (!kind_node) {
    r.error(v, "key " + q(key) + ": missing required key 'dist' (accepted: " + join(kinds) + ")");
    return std::nullopt;
  }
  const auto kind = get_string(r, kind_node, "dist");
  if (!kind) return std::nullopt;
  const std::string what = "key " + q(key) + " (" + *kind + ")";
  auto positive = [&](const YAML::Node& n, std::string_view k) -> std::optional<base::Duration> {
    auto d = get_duration(r, n, k);
    if (d && d->count() <= 0) {
      r.error(n, "key " + q(k) + ": must be greater than 0");
      return std::nullopt;
    }
    return d;
  };
  if (*kind == "constant") {
    MapReader m(r, v, what, {"dist", "value"});
    const auto d = get_duration(r, m.required("value"), "value");
    if (!d) return std::nullopt;
    return engine::Distribution::constant(*d);
  }
  if (*kind == "uniform") {
    MapReader m(r, v, what, {"dist", "min", "max"});
    const YAML::Node lo_node = m.required("min"), hi_node = m.required("max");
    if (!lo_node || !hi_node) return std::nullopt;
    const auto lo = get_duration(r, lo_node, "min");
    const auto hi = get_duration(r, hi_node, "max");
    if (!lo || !hi) return std::nullopt;
    if (*hi < *lo) {
      r.error(hi_node, "key 'max': must not be below 'min'");
      return std::nullopt;
    }
    return engine::Distribution::uniform(*lo, *hi);
  }
  if (*kind == "exponential") {
    MapReader m(r, v, what, {"dist", "mean"});
    const YAML::Node n = m.required("mean");
    if (!n) return std::nullopt;
    const auto mean = positive(n, "mean");
    if (!mean) return std::nullopt;
    return engine::Distribution::exponential(*mean);
  }
  if (*kind == "normal") {
    MapReader m(r, v, what, {"dist", "mean", "stddev"});
    const YAML::Node mn = m.required("mean"), sn = m.required("stddev");
    if (!mn || !sn) return std::nullopt;
    const auto mean = get_duration(r, mn, "mean");
    const auto sd = get_duration(r, sn, "stddev");
    if (!mean || !sd) return std::nullopt;
    return engine::Distribution::normal(*mean, *sd);
  }
  if (*kind == "lognormal") {
    MapReader m(r, v, what, {"dist", "median", "p99", "mu", "sigma"});
    if (m.has("median") || m.has("p99")) {
      const YAML::Node med = m.required("median"), p99 = m.required("p99");
      if (!med || !p99) return std::nullopt;
      const auto a = positive(med, "median");
      const auto b = positive(p99, "p99");
      if (!a || !b) return std::nullopt;
      if (*b <= *a) {
        r.error(p99, "key 'p99': must be greater than 'median'");
        return std::nullopt;
      }
      return engine::Distribution::lognormal_median_p99(*a, *b);
    }
    const YAML::Node mu_n = m.required("mu"), sigma_n = m.required("sigma");
    if (!mu_n || !sigma_n) return std::nullopt;
    const auto mu = get_number(r, mu_n, "mu");
    const auto sigma = get_number(r, sigma_n, "sigma");
    if (!mu || !sigma) return std::nullopt;
    if (*sigma < 0) {
      r.error(sigma_n, "key 'sigma': must not be negative");
      return std::nullopt;
    }
    return engine::Distribution::lognormal(*mu, *sigma);
  }
  if (*kind == "weibull") {
    MapReader m(r, v, what, {"dist", "shape", "scale", "location"});
    const YAML::Node sh = m.required("shape"), sc = m.required("scale");
    if (!sh || !sc) return std::nullopt;
    const auto shape = get_number(r, sh, "shape");
    const auto scale = positive(sc, "scale");
    if (!shape || !scale) return std::nullopt;
    if (!(*shape > 0)) {
      r.error(sh, "key 'shape': must be greater than 0");
      return std::nullopt;
    }
    base::Duration location{};
    if (m.has("location")) {
      const auto loc = get_duration(r, m.get("location"), "location");
      if (!loc) return std::nullopt;
      location = *loc;
    }
    return engine::Distribution::weibull(*shape, *scale, location);
  }
  if (*kind == "empirical") {
    MapReader m(r, v, what, {"dist", "file", "column"});
    return empirical(r, m);
  }
  const std::string hint = did_you_mean(*kind, kinds);
  r.error(kind_node, "key 'dist': unknown distribution " + q(*kind) +
                         (hint.empty() ? "" : " (did you mean " + q(hint) + "?)") + "; accepted: " + join(kinds));
  return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, base::SourceLoc>>> get_names(Reader& r, const YAML::Node& v,
                                                                               std::string_view key) {
  std::vector<std::pair<std::string, base::SourceLoc>> out;
  if (v.IsScalar()) {
    const auto s = get_string(r, v, key);
    if (!s) return std::nullopt;
    out.emplace_back(*s, r.loc(v));
    return out;
  }
  if (!v.IsSequence()) {
    r.error(v, "key " + q(key) + ": expected a name or a list of names, found " + describe_kind(v));
    return std::nullopt;
  }
  for (const auto& item : v) {
    const auto s = get_string(r, item, key);
    if (!s) return std::nullopt;
    out.emplace_back(*s, r.loc(item));
  }
  return out;
}

} // namespace sim::scenario::detail
