#include "sim/metrics/run_directory.hpp"

#include "sim/metrics/csv.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace sim::metrics {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_name_length = 64;
constexpr std::size_t max_number_digits = 18;

bool is_kept(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool is_trimmed(char c) { return c == '.' || c == '_' || c == '-'; }

std::string trim(std::string s) {
  std::size_t begin = 0;
  while (begin < s.size() && is_trimmed(s[begin]))
    ++begin;
  std::size_t end = s.size();
  while (end > begin && is_trimmed(s[end - 1]))
    --end;
  return s.substr(begin, end - begin);
}

std::string format_number(std::uint64_t n) {
  std::string digits = std::to_string(n);
  if (digits.size() < 3)
    digits.insert(0, 3 - digits.size(), '0');
  return digits;
}

// Parses a run number: three or more decimal digits, nothing else.
bool parse_number(std::string_view text, std::uint64_t& out) {
  if (text.size() < 3 || text.size() > max_number_digits)
    return false;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  out = value;
  return true;
}

// The run number of "<base>-NNN" or ".<base>-NNN.partial-...", if `entry` is one of those.
bool run_number(std::string_view entry, const std::string& base, std::uint64_t& out) {
  const std::string prefix = base + "-";
  if (entry.starts_with(prefix))
    return parse_number(entry.substr(prefix.size()), out);
  const std::string hidden = "." + prefix;
  if (!entry.starts_with(hidden))
    return false;
  entry.remove_prefix(hidden.size());
  const std::size_t dot = entry.find(".partial-");
  return dot != std::string_view::npos && parse_number(entry.substr(0, dot), out);
}

// rename(2) that fails with EEXIST instead of replacing an existing (empty) directory.
std::error_code rename_no_replace(const fs::path& from, const fs::path& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
    return {};
  if (errno != EINVAL && errno != ENOSYS)
    return std::error_code(errno, std::generic_category());
#endif
  std::error_code ec;
  if (fs::exists(fs::symlink_status(to, ec)))
    return std::make_error_code(std::errc::file_exists);
  fs::rename(from, to, ec);
  return ec;
}

bool is_occupied(const std::error_code& ec) {
  return ec == std::errc::file_exists || ec == std::errc::directory_not_empty;
}

} // namespace

struct RunDirectory::OpenFile {
  std::string name;
  std::string path;  // the final path, carried by the stream for write errors (stream_name_index)
  std::ofstream stream;
};

std::string sanitize_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    const char mapped = is_kept(c) ? c : '_';
    if (mapped == '_' && !out.empty() && out.back() == '_')
      continue;
    out += mapped;
  }
  out = trim(std::move(out));
  if (out.size() > max_name_length)
    out = trim(out.substr(0, max_name_length));
  return out.empty() ? std::string("run") : out;
}

RunDirectory RunDirectory::create_exact(fs::path final_dir) {
  if (!final_dir.has_filename())
    final_dir = final_dir.parent_path();
  const std::string leaf = final_dir.filename().string();
  if (leaf.empty() || leaf == "." || leaf == "..")
    throw std::runtime_error("output directory '" + final_dir.string() +
                             "' does not name a directory to create");
  std::error_code ec;
  const auto status = fs::status(final_dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status))
      throw std::runtime_error("output path '" + final_dir.string() +
                               "' exists and is not a directory");
    if (!fs::is_empty(final_dir))
      throw std::runtime_error("output directory '" + final_dir.string() +
                               "' already exists and is not empty; refusing to overwrite it");
  }
  RunDirectory dir;
  dir.final_ = std::move(final_dir);
  dir.make_temporary();
  return dir;
}

RunDirectory RunDirectory::create_numbered(fs::path parent, std::string_view name) {
  RunDirectory dir;
  dir.numbered_ = true;
  dir.base_name_ = sanitize_name(name);
  if (!parent.empty())
    fs::create_directories(parent);
  std::uint64_t highest = 0;
  for (const auto& entry : fs::directory_iterator(parent.empty() ? fs::path(".") : parent)) {
    std::uint64_t n = 0;
    if (run_number(entry.path().filename().string(), dir.base_name_, n) && n > highest)
      highest = n;
  }
  dir.number_ = highest + 1;
  dir.parent_ = std::move(parent);
  dir.final_ = dir.parent_ / (dir.base_name_ + "-" + format_number(dir.number_));
  dir.make_temporary();
  return dir;
}

void RunDirectory::make_temporary() {
  const fs::path parent = final_.parent_path();
  if (!parent.empty())
    fs::create_directories(parent);
  const std::string stem =
      "." + final_.filename().string() + ".partial-" + std::to_string(::getpid());
  for (int attempt = 1;; ++attempt) {
    const fs::path candidate =
        parent / (attempt == 1 ? stem : stem + "-" + std::to_string(attempt));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      temporary_ = candidate;
      return;
    }
    if ((ec && !fs::exists(candidate)) || attempt >= 1000)
      throw std::runtime_error("cannot create temporary directory '" + candidate.string() +
                               "'" + (ec ? ": " + ec.message() : std::string()));
  }
}

RunDirectory::RunDirectory(RunDirectory&& other) noexcept
    : final_(std::move(other.final_)), temporary_(std::move(other.temporary_)),
      parent_(std::move(other.parent_)), base_name_(std::move(other.base_name_)),
      number_(other.number_), numbered_(other.numbered_), committed_(other.committed_),
      files_(std::move(other.files_)) {
  other.temporary_.clear();
  other.files_.clear();
}

RunDirectory& RunDirectory::operator=(RunDirectory&& other) noexcept {
  if (this != &other) {
    RunDirectory discarded(std::move(*this));
    final_ = std::move(other.final_);
    temporary_ = std::move(other.temporary_);
    parent_ = std::move(other.parent_);
    base_name_ = std::move(other.base_name_);
    number_ = other.number_;
    numbered_ = other.numbered_;
    committed_ = other.committed_;
    files_ = std::move(other.files_);
    other.temporary_.clear();
    other.files_.clear();
  }
  return *this;
}

RunDirectory::~RunDirectory() {
  files_.clear();
  if (!committed_ && !temporary_.empty()) {
    std::error_code ec;
    fs::remove_all(temporary_, ec);
  }
}

const fs::path& RunDirectory::path() const { return committed_ ? final_ : temporary_; }

std::ostream& RunDirectory::open(std::string_view filename) {
  if (committed_)
    throw std::logic_error("run directory '" + final_.string() + "' is already committed");
  if (filename.empty() || filename == "." || filename == ".." ||
      filename.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos)
    throw std::invalid_argument("'" + std::string(filename) + "' is not a plain file name");
  for (const auto& file : files_) {
    if (file->name == filename)
      throw std::invalid_argument("file '" + std::string(filename) + "' is already open");
  }
  auto file = std::make_unique<OpenFile>();
  file->name = std::string(filename);
  const fs::path target = temporary_ / file->name;
  file->stream.open(target, std::ios::out | std::ios::binary | std::ios::trunc);
  if (!file->stream.is_open())
    throw WriteError("cannot create file '" + target.string() + "': " + std::strerror(errno));
  // Write errors name the file as it will be called (the final directory's).
  file->path = (final_ / file->name).string();
  file->stream.pword(stream_name_index()) = &file->path;
  files_.push_back(std::move(file));
  return files_.back()->stream;
}

void RunDirectory::close_files() {
  std::string failed;
  int reason = 0;
  for (const auto& file : files_) {
    errno = 0;
    file->stream.flush();
    const bool ok = file->stream.good();
    if (!ok && reason == 0) reason = errno;
    errno = 0;
    file->stream.close();
    if (file->stream.fail() && ok && reason == 0) reason = errno;
    if (!ok || file->stream.fail())
      failed += (failed.empty() ? "" : ", ") + file->path;
  }
  files_.clear();
  if (!failed.empty())
    throw WriteError(failed + ": write failed: " + (reason != 0 ? std::strerror(reason) : "the stream reported an error"));
}

void RunDirectory::commit() {
  if (committed_)
    throw std::logic_error("run directory '" + final_.string() + "' is already committed");
  close_files();
  if (numbered_)
    rename_numbered();
  else
    rename_exact();
  committed_ = true;
}

void RunDirectory::rename_numbered() {
  for (;;) {
    final_ = parent_ / (base_name_ + "-" + format_number(number_));
    const std::error_code ec = rename_no_replace(temporary_, final_);
    if (!ec)
      return;
    if (!is_occupied(ec))
      throw std::runtime_error("cannot rename '" + temporary_.string() + "' to '" +
                               final_.string() + "': " + ec.message());
    ++number_;
  }
}

void RunDirectory::rename_exact() {
  std::error_code ec;
  fs::rename(temporary_, final_, ec);
  if (!ec)
    return;
  if (is_occupied(ec))
    throw std::runtime_error("output directory '" + final_.string() +
                             "' appeared and is not empty; refusing to overwrite it");
  throw std::runtime_error("cannot rename '" + temporary_.string() + "' to '" + final_.string() +
                           "': " + ec.message());
}

base::Result<std::string, ReadError> read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return ReadError{"no such file or directory"};
    return ReadError{std::strerror(errno)};
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return ReadError{std::strerror(e)};
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return ReadError{S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file (a device, FIFO or socket)"};
  }
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return ReadError{"is larger than " + std::to_string(max_bytes) + " bytes"};
  }
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      return ReadError{std::strerror(e)};
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {  // it grew while being read
      ::close(fd);
      return ReadError{"is larger than " + std::to_string(max_bytes) + " bytes"};
    }
  }
  ::close(fd);
  return text;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view text) {
  namespace fs = std::filesystem;
  if (path.empty()) throw std::runtime_error("an empty output path");
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw std::runtime_error(path.string() + ": exists and is not a regular file (" +
                             (fs::is_directory(status) ? "a directory" : fs::is_symlink(status) ? "a symbolic link" : "a device, FIFO or socket") +
                             "): lunsim writes only regular files");
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec))
    throw std::runtime_error(path.string() + ": its directory " + parent.string() + " does not exist");
  static std::atomic<std::uint64_t> counter{0};
  const fs::path tmp = parent / (".lunsim-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path.string() + ": cannot create a file in " + parent.string() + ": " + std::strerror(errno));
  auto fail = [&](const char* what) {
    const int e = errno;
    ::close(fd);
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": " + what + ": " + std::strerror(e));
  };
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 && errno != EINVAL) fail("write failed");
  if (::close(fd) != 0) {
    const int e = errno;
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": write failed: " + std::strerror(e));
  }
  // Checked again just before the rename: something may have appeared under the name meanwhile.
  const fs::file_status now = fs::symlink_status(path, ec);
  if (fs::exists(now) && !fs::is_regular_file(now)) {
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": exists and is not a regular file: lunsim writes only regular files");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot rename the finished file into place: " + std::strerror(e));
  }
}

} // namespace sim::metrics
