#include "sim/scenario/loader.hpp"
#include "sim/scenario/loader_sections.hpp"

#include <map>
#include <set>

namespace sim::scenario::detail {

namespace {

/// A grid value as sweep.csv shows it: a scalar as written, a map or list in YAML flow style.
std::string value_text(const YAML::Node& v) {
  if (v.IsScalar()) return v.Scalar();
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << v;
  return e.c_str();
}

} // namespace

void Loader::sweep_section(const YAML::Node& n) {
  SweepSpec s;
  s.loc = r.loc(n);
  MapReader m(r, n, "sweep", {"grid", "replications", "seeds"});
  if (!m.ok()) return;
  if (m.has("replications")) {
    s.replications_loc = r.loc(m.get("replications"));
    if (auto v = get_count(r, m.get("replications"), "replications", 1, 100000)) s.replications = *v;
  }
  if (m.has("seeds")) {
    const YAML::Node v = m.get("seeds");
    if (v.IsScalar() && (v.Scalar() == "common" || v.Scalar() == "independent"))
      s.independent = v.Scalar() == "independent";
    else
      r.error(v, "key 'seeds': expected common or independent, found " + describe_kind(v));
  }
  const YAML::Node grid = m.required("grid");
  if (!grid) return;
  if (!grid.IsMap() || grid.size() == 0) {
    r.error(grid, "key 'grid': expected a map of scenario paths to lists of values (e.g. "
                  "repair.replace_after: [8h, 24h]), found " + (grid.IsMap() ? std::string("an empty map") : describe_kind(grid)));
    return;
  }
  std::map<std::string, base::SourceLoc> seen;
  for (const auto& kv : grid) {
    if (!kv.first.IsScalar() || kv.first.Scalar().empty()) {
      r.error(kv.first, "key 'grid': each key is a scenario path such as repair.replace_after");
      continue;
    }
    const std::string& path = kv.first.Scalar();
    if (const auto [first, fresh] = seen.emplace(path, r.loc(kv.first)); !fresh) {
      r.error(kv.first, "key 'grid': duplicate path " + q(path) + " (" + first_at(first->second) + ")");
      continue;
    }
    if (const auto parts = split_path(path); !parts) {
      r.error(kv.first, "key 'grid': path " + q(path) + ": " + parts.error().message);
      continue;
    }
    const YAML::Node& values = kv.second;
    if (!values.IsSequence() || values.size() == 0) {
      r.error(values.IsNull() ? kv.first : values,
              "grid path " + q(path) + ": expected a non-empty list of values, found " +
                  (values.IsSequence() ? std::string("an empty list") : describe_kind(values)));
      continue;
    }
    SweepAxis axis;
    axis.path = path;
    axis.loc = r.loc(kv.first);
    std::map<std::string, base::SourceLoc> distinct;
    for (const YAML::Node& v : values) {
      std::string text = value_text(v);
      if (v.IsNull() || text.empty()) {
        r.error(v.IsNull() ? kv.first : v, "grid path " + q(path) + ": an empty value");
        continue;
      }
      if (const auto [first, fresh] = distinct.emplace(text, r.loc(v)); !fresh) {
        r.error(v, "grid path " + q(path) + ": value " + q(text) + " listed twice (" + first_at(first->second) + ")");
        continue;
      }
      axis.values.push_back(std::move(text));
      axis.value_locs.push_back(r.loc(v));
    }
    s.axes.push_back(std::move(axis));
  }
  spec.sweep = std::move(s);
}

} // namespace sim::scenario::detail
