// SHA-256 (FIPS 180-4) of a byte string, as 64 lower-case hex digits. Used to identify the exact
// scenario text of a run in meta.csv; small enough not to need a crypto library.
#pragma once

#include <string>
#include <string_view>

namespace sim::base {

std::string sha256_hex(std::string_view data);

} // namespace sim::base
