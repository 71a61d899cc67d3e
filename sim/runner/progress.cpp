#include "sim/runner/progress.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace sim::runner {

namespace {

std::string duration_text(double s) {
  char buf[32];
  if (!(s >= 0) || s > 359999) return "--";
  const auto t = static_cast<long>(std::lround(s));
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else if (t >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%lds", t);
  return buf;
}

} // namespace

Progress::Progress(std::ostream& out, std::uint64_t total, std::string unit, bool enabled)
    : out_(&out), total_(total), unit_(std::move(unit)), enabled_(enabled && total > 0),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { finish(); }

std::string Progress::render(std::uint64_t done, std::uint64_t total, double seconds, const std::string& unit,
                             int width) {
  const double f = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  const int filled = static_cast<int>(std::floor(f * width));
  std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                    std::string(static_cast<std::size_t>(width - filled), '-') + "]";
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  char buf[128];
  std::snprintf(buf, sizeof buf, " %llu/%llu %s  %.1f/s  ETA %s", static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(total), unit.c_str(), rate,
                rate > 0 ? duration_text(static_cast<double>(total - done) / rate).c_str() : "--");
  return bar + buf;
}

void Progress::update(std::uint64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  *out_ << '\r' << render(done, total_, std::chrono::duration<double>(now - start_).count(), unit_) << "\x1b[K"
        << std::flush;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  *out_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

} // namespace sim::runner
