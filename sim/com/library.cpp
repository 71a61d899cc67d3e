#include "sim/com/library.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace sim::com {

namespace {

/// The kind's signature around NAME, and its parameters in the Itanium C++ ABI.
struct Signature {
  const char* result;
  const char* parameters;
  const char* mangled_parameters;
};

Signature signature(EntryKind kind) {
  switch (kind) {
    case EntryKind::Subsystem: return {"HRESULT ", "(IVdsSubSystem*)", "P13IVdsSubSystem"};
    case EntryKind::Main: return {"int ", "(int, char**)", "iPPc"};
    case EntryKind::VoidMain: return {"void ", "()", "v"};
  }
  return {"", "", ""};
}

bool is_identifier(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

} // namespace

std::string ClientLibrary::mangled_name(const std::string& entry, EntryKind kind) {
  if (!is_identifier(entry)) return {};
  return "_Z" + std::to_string(entry.size()) + entry + signature(kind).mangled_parameters;
}

ClientLibrary::ClientLibrary(const std::string& path, const std::string& entry, EntryKind kind) : path_(path) {
  // A bare file name would make dlopen search the library path; a client library is a file.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) throw std::runtime_error(path + ": cannot load client library: " + dlerror());
  dlerror();
  void* sym = dlsym(handle_, entry.c_str());
  const std::string mangled = mangled_name(entry, kind);
  if (sym == nullptr && !mangled.empty()) sym = dlsym(handle_, mangled.c_str());
  if (sym == nullptr) {
    std::string why = "no symbol '" + entry + "' (declare it extern \"C\")";
    if (!mangled.empty()) {
      const Signature sig = signature(kind);
      why += ", nor a C++ " + std::string(sig.result) + entry + sig.parameters + " ('" + mangled + "', entry kind " +
             to_string(kind) + ")";
    }
    dlclose(handle_);
    throw std::runtime_error(path + ": " + why);
  }
  switch (kind) {
    case EntryKind::Subsystem: entry_ = Entry::of(entry, reinterpret_cast<SubsystemEntry>(sym)); break;
    case EntryKind::Main: entry_ = Entry::of(entry, reinterpret_cast<MainEntry>(sym)); break;
    case EntryKind::VoidMain: entry_ = Entry::of(entry, reinterpret_cast<VoidMainEntry>(sym)); break;
  }
}

ClientLibrary::~ClientLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

} // namespace sim::com
