// Fuzz target "scenario": the input is scenario YAML, as `lunsim run FILE` reads it.
//
// Feeds scenario::load_scenario(input, "fuzz.yaml") (relative `file:` paths of empirical
// distributions resolve against the working directory), formats every diagnostic, and for a
// scenario that loads: capacity_warnings, and, when it has a `sweep:` grid, the load of its last
// grid point (LoadOptions::sweep_point).
//
// Findings, beyond those of fuzz_target.hpp (load_scenario documents no exception at all):
//   - a scenario returned together with an error, or no scenario and no error;
//   - diagnostics out of position order (a trailing "N more errors" note aside);
//   - a formatted diagnostic holding a control character (README: messages escape them);
//   - the same for the grid point (an exception there too: the section is valid).
#include "fuzz/fuzz_target.hpp"

#include "sim/scenario/loader.hpp"

#include <string>

namespace {

using sim::base::Diagnostic;
using sim::base::Severity;

void check_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = diagnostics[i];
    for (const char ch : d.format())
      if (const auto c = static_cast<unsigned char>(ch); c < 0x20 || c == 0x7f)
        sim::fuzz::finding("a diagnostic holds a control character: " + d.format());
    const bool last_note = i + 1 == diagnostics.size() && d.severity == Severity::Note;
    if (i > 0 && !last_note && d.loc < diagnostics[i - 1].loc)
      sim::fuzz::finding("diagnostics out of order: " + diagnostics[i - 1].format() + " before " + d.format());
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace scenario = sim::scenario;
  const std::string_view text = sim::fuzz::as_text(data, size);
  const scenario::LoadResult r = scenario::load_scenario(text, "fuzz.yaml");
  check_diagnostics(r.diagnostics);
  if (r.spec.has_value() == sim::base::has_errors(r.diagnostics))
    sim::fuzz::finding(r.spec ? "a scenario was returned with errors" : "no scenario and no error");
  if (!r.spec) return 0;
  for (const Diagnostic& d : scenario::capacity_warnings(*r.spec)) (void)d.format();
  if (r.spec->sweep && !r.spec->sweep->axes.empty()) {
    scenario::LoadOptions options;
    for (const scenario::SweepAxis& a : r.spec->sweep->axes) options.sweep_point.push_back(a.values.size() - 1);
    const scenario::LoadResult point = scenario::load_scenario(text, "fuzz.yaml", options);
    check_diagnostics(point.diagnostics);
    if (point.spec.has_value() == sim::base::has_errors(point.diagnostics))
      sim::fuzz::finding(point.spec ? "a grid point was returned with errors" : "a grid point: no scenario and no error");
  }
  return 0;
}
