// Fuzz target "rundir": a run or sweep directory, as `lunsim compare` and `lunsim report` read
// it (every CSV file of the directory goes through metrics::read_csv_file, the strict reader).
//
// Input: the files of a directory in one text. A line "@@ NAME" starts the file NAME; the bytes
// after that line, up to and including the line end before the next "@@ " line (or to the end
// of the input), are its content. NAME is a relative path of 1 to 3 parts of [A-Za-z0-9._-]
// (not "." or ".."); a file with another name is skipped, a repeated name replaces the file,
// text before the first "@@ " line is ignored, and at most 64 files are written.
// fuzz/corpus.sh makes such inputs from real run and sweep directories.
//
// The files are written under a scratch directory (one per process, under $TMPDIR, made at the
// first input and removed at exit; the one piece of process state here), as DIR; DIR/cand, when
// the input has a cand/meta.csv, is the other side of the comparison (else DIR itself). Then:
// reports::read_run (or read_sweep for a sweep), reports::compare (compare_sweeps), write_report
// in every format, and reports::write_html_report of DIR (with --compare DIR/cand for a run).
// reports::InputError is their documented answer to bad input; anything else is a finding
// (fuzz_target.hpp).
#include "fuzz/fuzz_target.hpp"

#include "reports/compare.hpp"
#include "reports/html_report.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace {

namespace fs = std::filesystem;
namespace reports = sim::reports;

class ScratchDir {
public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/lunsim-fuzz-rundir.XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) sim::fuzz::finding("cannot create a scratch directory under $TMPDIR");
    path_ = templ;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

private:
  fs::path path_;
};

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  std::size_t parts = 0;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == ".." || ++parts > 3) return false;
    for (const char c : part)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
        return false;
    start = end + 1;
  }
  return true;
}

/// Writes the input's files under `dir` (emptied first).
void write_files(std::string_view text, const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::size_t at = 0;
  if (!text.starts_with("@@ ")) {
    at = text.find("\n@@ ");
    if (at != std::string_view::npos) ++at;
  }
  for (int files = 0; at != std::string_view::npos && files < 64; ++files) {
    const std::size_t name_end = std::min(text.find('\n', at), text.size());
    const std::string_view name = text.substr(at + 3, name_end - at - 3);
    const std::size_t start = std::min(name_end + 1, text.size());
    const std::size_t next = text.find("\n@@ ", name_end);
    const std::size_t end = next == std::string_view::npos ? text.size() : next + 1;
    if (valid_name(name)) {
      const fs::path file = dir / fs::path(std::string(name));
      std::error_code ec;
      fs::create_directories(file.parent_path(), ec);
      std::ofstream(file, std::ios::binary | std::ios::trunc).write(text.data() + start, static_cast<std::streamsize>(end - start));
    }
    at = next == std::string_view::npos ? next : next + 1;
  }
}

void write_reports(const reports::Comparison& c) {
  sim::fuzz::NullStream out;
  for (const reports::Format f : {reports::Format::Table, reports::Format::Csv, reports::Format::Markdown, reports::Format::Json})
    reports::write_report(out, c, f, f == reports::Format::Table);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchDir scratch;
  const fs::path dir = scratch.path() / "run";
  write_files(sim::fuzz::as_text(data, size), dir);
  const fs::path cand = fs::exists(dir / "cand" / "meta.csv") ? dir / "cand" : dir;
  bool run = false;
  try {
    if (reports::is_sweep_directory(dir)) {
      const reports::SweepData base = reports::read_sweep(dir);
      write_reports(reports::compare_sweeps(base, cand == dir ? base : reports::read_sweep(cand)));
    } else {
      run = true;
      const reports::RunData base = reports::read_run(dir);
      write_reports(reports::compare(base, cand == dir ? base : reports::read_run(cand)));
    }
  } catch (const reports::InputError&) {
  }
  sim::fuzz::NullStream out;
  try {
    reports::write_html_report(out, dir);
  } catch (const reports::InputError&) {
  }
  if (run && cand != dir) {
    reports::HtmlReportOptions options;
    options.compare = cand;
    try {
      reports::write_html_report(out, dir, options);
    } catch (const reports::InputError&) {
    }
  }
  return 0;
}
