// Fuzz target "grid": `--grid path=v1,v2,...` options, as `lunsim sweep SCENARIO --grid ...`
// plans a sweep (sim/cli/sweep_command.cpp), without running it.
//
// Input: up to 4 lines, each the text of one --grid; then optionally a line "%%" followed by a
// scenario that replaces the base one (fuzz/base_scenario.hpp, which has a `sweep:` grid of its
// own). Feeds each line to runner::parse_grid_option (errors are returned values); when the
// scenario loads, builds the SweepPlan as the CLI does (the section's axes, then the parsed
// options whose path is new) and loads up to 4 of its points (SweepPlan::load_point): the first,
// the last and two between. Grids beyond the CLI's 10^6 points are not loaded.
//
// Findings, beyond those of fuzz_target.hpp (nothing here documents an exception):
//   - a parsed axis without values, or with a path that split_path refuses;
//   - a point returned with errors, or no point and no error;
//   - sweep.hpp's promise broken: point p must load exactly when the scenario loads with
//     `--set path=value` for each axis and the point's value (section axes included).
#include "fuzz/fuzz_target.hpp"

#include "fuzz/base_scenario.hpp"
#include "sim/runner/sweep.hpp"

#include <set>
#include <string>

namespace {

namespace runner = sim::runner;
namespace scenario = sim::scenario;

bool loads(const scenario::LoadResult& r, const char* what) {
  for (const sim::base::Diagnostic& d : r.diagnostics) (void)d.format();
  if (r.spec.has_value() == sim::base::has_errors(r.diagnostics))
    sim::fuzz::finding(std::string(what) + (r.spec ? ": a scenario was returned with errors" : ": no scenario and no error"));
  return r.spec.has_value();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sim::fuzz::OptionInput in = sim::fuzz::split_option_input(sim::fuzz::as_text(data, size), 4);
  std::vector<runner::GridAxis> options;
  for (const std::string_view line : in.lines) {
    auto axis = runner::parse_grid_option(line);
    if (!axis) continue;
    if (axis->values.empty() || !scenario::split_path(axis->path))
      sim::fuzz::finding("parse_grid_option accepted '" + std::string(line) + "' with no value or a bad path");
    options.push_back(std::move(axis.value()));
  }

  runner::SweepPlan plan;
  plan.file = "fuzz.yaml";
  plan.text = std::string(in.scenario.value_or(sim::fuzz::base_scenario));
  const scenario::LoadResult base = scenario::load_scenario(plan.text, plan.file);
  if (!loads(base, "base scenario")) return 0;
  std::set<std::string> paths;
  if (base.spec->sweep)
    for (const scenario::SweepAxis& a : base.spec->sweep->axes)
      if (paths.insert(a.path).second) plan.axes.push_back(runner::GridAxis{a.path, a.values, true});
  plan.section_axes = plan.axes.size();
  for (runner::GridAxis& a : options)
    if (paths.insert(a.path).second) plan.axes.push_back(std::move(a));
  if (plan.axes.empty()) return 0;
  std::uint64_t points = 1;
  for (const runner::GridAxis& a : plan.axes)
    if ((points *= a.values.size()) > 1'000'000) return 0;

  for (std::uint64_t k = 0; k < 4 && k < points; ++k) {
    const std::uint64_t p = k == 3 ? points - 1 : k * (points / 4 + 1) % points;
    const bool point_loads = loads(plan.load_point(p), "grid point");
    scenario::LoadOptions as_sets;
    const std::vector<std::size_t> c = plan.coordinates(p);
    for (std::size_t i = 0; i < plan.axes.size(); ++i)
      as_sets.sets.push_back(scenario::Override{plan.axes[i].path + "=" + plan.axes[i].values[c[i]]});
    if (loads(scenario::load_scenario(plan.text, plan.file, as_sets), "point as --set") != point_loads)
      sim::fuzz::finding("grid point " + std::to_string(p) + (point_loads ? " loads" : " does not load") +
                         ", but the same values as --set " + (point_loads ? "do not" : "do"));
  }
  return 0;
}
