// Run output directories that appear complete or not at all.
//
// A run writes into a hidden temporary sibling of its final directory,
// ".<final name>.partial-<pid>", and commit() renames it to the final name in one step
// (rename(2) within the same parent directory). A process killed half-way therefore leaves only
// the hidden ".partial-PID" directory, never a directory with the final name; an error path that
// destroys the RunDirectory without committing removes the temporary directory (DESIGN.md,
// "Errors": no output directory that looks complete). The rename protects against the process
// dying, not against power loss (nothing is fsync'ed).
//
// Numbered directories ("runs/<name>-NNN", DESIGN.md "Outputs") take the number one above the
// highest existing "<name>-NNN" directory or in-progress ".<name>-NNN.partial-*" directory in
// the parent, so a run never overwrites another and the newest run has the highest number;
// numbers of deleted runs are not reused. If another process commits the same number first,
// commit() takes the next free one.
#pragma once

#include "sim/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sim::metrics {

/// A file-system-safe directory name: keeps [A-Za-z0-9._-], maps every other byte (space, '/',
/// '<', each byte of a multi-byte UTF-8 character, ...) to '_', collapses runs of '_', strips
/// leading and trailing '.', '_' and '-' (no hidden names, no "..", nothing that looks like a
/// command-line option), and cuts the result to 64 characters. Returns "run" when nothing is
/// left: "a b/c" -> "a_b_c", "<script>alert(1)</script>" -> "script_alert_1_script",
/// "" and "..." -> "run".
std::string sanitize_name(std::string_view name);

class RunDirectory {
public:
  /// Prepares to write `final_dir` exactly (the CLI's -o). Creates missing parent directories.
  /// Throws std::runtime_error, naming the path, when final_dir exists and is not an empty
  /// directory (an existing empty directory is replaced at commit). The check is repeated at
  /// commit, which fails rather than replace a directory that gained content meanwhile.
  static RunDirectory create_exact(std::filesystem::path final_dir);

  /// Prepares to write parent / (sanitize_name(name) + "-NNN"), NNN being three digits (001,
  /// 002, ...; more digits from 1000 on) chosen as described in the file comment. Creates
  /// `parent` when missing.
  static RunDirectory create_numbered(std::filesystem::path parent, std::string_view name);

  RunDirectory(RunDirectory&& other) noexcept;
  RunDirectory& operator=(RunDirectory&& other) noexcept;
  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;
  /// Without a commit, closes the files and removes the temporary directory with everything in
  /// it (errors ignored). After a commit, does nothing to the disk.
  ~RunDirectory();

  /// Where files are written: the temporary directory until commit(), the final one after.
  const std::filesystem::path& path() const;
  /// The directory's name after commit(). Before it, the intended name: a numbered directory
  /// may still move to a later number if another process commits this one first.
  const std::filesystem::path& final_path() const { return final_; }
  bool committed() const { return committed_; }

  /// Creates (truncating) the file `filename` in the temporary directory and returns a binary
  /// output stream for it, owned by this object: the reference stays valid (also across moves)
  /// until commit() or destruction, which flush and close it. `filename` must be a plain name
  /// (no '/', not "." or ".."), opened at most once. Throws std::invalid_argument for a bad or
  /// repeated name, std::logic_error after commit, WriteError (csv.hpp) when the file cannot be
  /// created.
  std::ostream& open(std::string_view filename);

  /// Flushes and closes every file opened through open(), then renames the temporary directory
  /// to its final name. Throws WriteError naming the files and the system's reason when a file
  /// reports a write error, std::runtime_error when the rename fails (either way it stays
  /// uncommitted, so the destructor still cleans up); std::logic_error when already committed.
  void commit();

private:
  RunDirectory() = default;
  void make_temporary();
  void close_files();
  void rename_numbered();
  void rename_exact();

  std::filesystem::path final_;
  std::filesystem::path temporary_;
  // Numbered directories only: parent, sanitized base name and current number.
  std::filesystem::path parent_;
  std::string base_name_;
  std::uint64_t number_ = 0;
  bool numbered_ = false;
  bool committed_ = false;
  struct OpenFile;
  std::vector<std::unique_ptr<OpenFile>> files_;
};

/// Reads a whole input file (a scenario, a samples file, a CSV of lunsim's): it must be a regular
/// file of at most `max_bytes`. A directory, a FIFO (opened without blocking), a device such as
/// /dev/zero or a larger file is refused without reading past the limit. Returns the text, or why
/// not: "no such file or directory", "is a directory", "is not a regular file (a device, FIFO or
/// socket)", "is larger than N bytes", or the system's reason.
struct ReadError {
  std::string reason;
};
base::Result<std::string, ReadError> read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

/// Writes one output file (a report, a comparison, a graph) as run directories are written: the
/// whole text to a hidden temporary file beside it (".lunsim-<pid>-<n>.tmp", short whatever the
/// name's length), then rename(2) over `path`, so the file is complete or absent. Only a regular
/// file is ever created or replaced: throws std::runtime_error naming the path, before writing
/// anything, for an empty path, a path that exists and is not a regular file (a directory, a
/// symbolic link, a device such as /dev/null, a FIFO), or a parent that is not an existing
/// directory; and after removing the temporary file, for a write, flush or rename error, with
/// the system's reason ("No space left on device").
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

} // namespace sim::metrics
