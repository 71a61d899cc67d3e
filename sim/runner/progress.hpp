// A progress bar for long runs: "[#######-------]  412/1000  38.2/s  ETA 15s" on one line of
// stderr, redrawn at most ten times a second, only when stderr is a terminal (a pipe or a file
// gets nothing). Wall-clock time is used here and nowhere near the results.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace sim::runner {

class Progress {
public:
  /// `enabled` false (or a non-terminal stderr, as the caller decides): every call is a no-op.
  Progress(std::ostream& out, std::uint64_t total, std::string unit, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// `done` items finished so far.
  void update(std::uint64_t done);
  /// Clears the line.
  void finish();

  /// The text of the bar for `done` of `total` after `seconds` (for tests), `width` characters
  /// of bar.
  static std::string render(std::uint64_t done, std::uint64_t total, double seconds, const std::string& unit,
                            int width = 30);

private:
  std::ostream* out_;
  std::uint64_t total_;
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

} // namespace sim::runner
