// The embedded default scenario: the text of scenarios/quickstart.yaml, compiled in so that
// `lunsim run` works from any directory.
#pragma once

#include <string_view>

namespace sim::cli {

std::string_view embedded_scenario();
inline constexpr std::string_view embedded_scenario_name = "<embedded quickstart.yaml>";

} // namespace sim::cli
