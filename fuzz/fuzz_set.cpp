// Fuzz target "set": `--set KEY=VALUE` overrides, as `lunsim run SCENARIO --set ...` applies them.
//
// Input: up to 8 lines, each the text of one --set; then optionally a line "%%" followed by a
// scenario that replaces the base one (fuzz/base_scenario.hpp). Feeds each line to path_end and
// split_path (as the CLI does), loads the scenario with the overrides (load_scenario, diagnostics
// formatted), and rewrites it with them (rewrite_scenario; std::invalid_argument is its
// documented answer to bad input).
//
// Findings, beyond those of fuzz_target.hpp:
//   - a scenario returned with errors, or no scenario and no error;
//   - rewrite_scenario's promise broken: when the scenario loads with the overrides, the rewrite
//     must succeed and its text must load, without overrides, as the same scenario (same name,
//     seed, horizon and number of drive models, subsystems, operations, loads and faults).
#include "fuzz/fuzz_target.hpp"

#include "fuzz/base_scenario.hpp"
#include "sim/scenario/loader.hpp"

#include <stdexcept>
#include <string>

namespace {

namespace scenario = sim::scenario;

void check_result(const scenario::LoadResult& r, const char* what) {
  for (const sim::base::Diagnostic& d : r.diagnostics) (void)d.format();
  if (r.spec.has_value() == sim::base::has_errors(r.diagnostics))
    sim::fuzz::finding(std::string(what) + (r.spec ? ": a scenario was returned with errors" : ": no scenario and no error"));
}

bool same_scenario(const scenario::ScenarioSpec& a, const scenario::ScenarioSpec& b) {
  return a.name == b.name && a.seed == b.seed && a.horizon == b.horizon && a.drive_models.size() == b.drive_models.size() &&
         a.subsystems.size() == b.subsystems.size() && a.ops.size() == b.ops.size() && a.io.size() == b.io.size() &&
         a.faults.size() == b.faults.size() && a.sweep.has_value() == b.sweep.has_value() && a.reliability() == b.reliability();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sim::fuzz::OptionInput in = sim::fuzz::split_option_input(sim::fuzz::as_text(data, size), 8);
  const std::string_view text = in.scenario.value_or(sim::fuzz::base_scenario);
  scenario::LoadOptions options;
  for (const std::string_view line : in.lines) {
    const std::size_t end = scenario::path_end(line);
    if (end != std::string_view::npos) (void)scenario::split_path(line.substr(0, end));
    options.sets.push_back(scenario::Override{std::string(line)});
  }
  const scenario::LoadResult loaded = scenario::load_scenario(text, "fuzz.yaml", options);
  check_result(loaded, "load with --set");
  std::string rewritten;
  try {
    rewritten = scenario::rewrite_scenario(text, "fuzz.yaml", options.sets);
  } catch (const std::invalid_argument& e) {
    if (loaded.spec) sim::fuzz::finding(std::string("the scenario loads with its --set, but rewrite_scenario throws: ") + e.what());
    return 0;
  }
  if (!loaded.spec) return 0;
  const scenario::LoadResult again = scenario::load_scenario(rewritten, "rewritten.yaml");
  check_result(again, "load of the rewritten text");
  if (!again.spec) {
    std::string why = "the rewritten scenario does not load:";
    for (const sim::base::Diagnostic& d : again.diagnostics) why += "\n  " + d.format();
    sim::fuzz::finding(why + "\nrewritten text:\n" + rewritten);
  }
  if (!same_scenario(*loaded.spec, *again.spec))
    sim::fuzz::finding("the rewritten scenario loads as another scenario; rewritten text:\n" + rewritten);
  return 0;
}
