// Drive presets: `preset: NAME` in a drive model (then the model's own keys override the
// preset's, key by key) or `model: preset/NAME` in an enclosure (the preset as it is). Each
// preset is a drive model written as the scenario would write it; README "Drive presets" lists
// every figure with its source (a datasheet or a review) and what was derived.
#pragma once

#include <span>
#include <string_view>

namespace sim::scenario {

struct DrivePreset {
  std::string_view name;
  std::string_view summary;  ///< one line: the class and the drive its figures come from
  std::string_view yaml;     ///< the model's keys, a YAML flow map
};

/// Every preset, in the order README lists them.
std::span<const DrivePreset> drive_presets();
/// The preset called `name`; null when there is none.
const DrivePreset* find_preset(std::string_view name);

} // namespace sim::scenario
