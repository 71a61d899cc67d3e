#include "sim/com/library.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace sim::com {

ClientLibrary::ClientLibrary(const std::string& path, const std::string& entry, EntryKind kind) : path_(path) {
  // A bare file name would make dlopen search the library path; a client library is a file.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) throw std::runtime_error(path + ": cannot load client library: " + dlerror());
  dlerror();
  void* sym = dlsym(handle_, entry.c_str());
  if (sym == nullptr) {
    const std::string why = "no symbol '" + entry + "' (declare it extern \"C\")";
    dlclose(handle_);
    throw std::runtime_error(path + ": " + why);
  }
  if (kind == EntryKind::Main) entry_ = Entry::of(entry, reinterpret_cast<MainEntry>(sym));
  else entry_ = Entry::of(entry, reinterpret_cast<SubsystemEntry>(sym));
}

ClientLibrary::~ClientLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

} // namespace sim::com
