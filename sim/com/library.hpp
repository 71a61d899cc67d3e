// A compiled VDS client loaded with dlopen: `lunsim check --client-lib ./libclient.so --entry
// NAME` and `lunsim run --client-lib`.
//
// The library is built against sim/compat's headers (CMake target lunsim::compat). The GUIDs
// it names are inline in the headers; CoInitializeEx, CoCreateInstance and CoUninitialize are
// exported by the lunsim executable and bound when the library is loaded (RTLD_NOW, so a
// missing symbol is reported at load, not at the first call). The entry's signature cannot be
// checked by dlsym: `kind` says which of the two pinned ones it is (sim/com/client.hpp).
#pragma once

#include "sim/com/client.hpp"

#include <string>

namespace sim::com {

class ClientLibrary {
public:
  /// Loads `path` and finds `entry`. Throws std::runtime_error naming the file and what dlopen
  /// or dlsym said.
  ClientLibrary(const std::string& path, const std::string& entry, EntryKind kind);
  ~ClientLibrary();  ///< unloads the library: no Client may still run its code
  ClientLibrary(const ClientLibrary&) = delete;
  ClientLibrary& operator=(const ClientLibrary&) = delete;

  const Entry& entry() const { return entry_; }
  const std::string& path() const { return path_; }

private:
  std::string path_;
  void* handle_ = nullptr;
  Entry entry_;
};

} // namespace sim::com
