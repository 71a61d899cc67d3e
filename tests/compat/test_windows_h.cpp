// sim/compat/windows.h, compiled with only sim/compat on the include path (the test target adds
// nothing else): Windows widths, HRESULT macros on real VDS codes, GUID identity, IUnknown's
// IUnknown adding nothing but QueryInterface, AddRef and Release, and CoTaskMemAlloc/CoTaskMemFree.
#include <windows.h>

#include "test_guid.h"  // DEFINE_GUID without <initguid.h> (test_sdk_spelling.cpp has it)

#include <catch2/catch.hpp>

#include <type_traits>

static_assert(sizeof(LONG) == 4 && sizeof(ULONG) == 4 && sizeof(HRESULT) == 4, "LONG, ULONG, HRESULT are 32-bit");
static_assert(sizeof(LONGLONG) == 8 && sizeof(ULONGLONG) == 8, "LONGLONG is 64-bit");
static_assert(sizeof(GUID) == 16, "GUID is 16 bytes");
static_assert(sizeof(BOOL) == 4 && sizeof(SHORT) == 2 && sizeof(BYTE) == 1, "Win32 widths");

const GUID* test_guid_in_windows_h_tu() { return &LUNSIM_IID_TEST; }

namespace {

struct Counter final : IUnknown {
  ULONG refs = 1;
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (out == nullptr) return E_POINTER;
    if (!IsEqualIID(riid, IID_IUnknown)) {
      *out = nullptr;
      return E_NOINTERFACE;
    }
    *out = this;
    AddRef();
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs; }
  ULONG STDMETHODCALLTYPE Release() override { return --refs; }
};

} // namespace

TEST_CASE("compat windows.h: HRESULT macros judge real VDS codes as Windows does") {
  CHECK(FAILED(0x80042409));  // VDS_E_OPERATION_PENDING... as a ULONG literal, still a failure
  CHECK(SUCCEEDED(S_OK));
  CHECK(SUCCEEDED(S_FALSE));
  CHECK(SUCCEEDED(0x00042700));  // VDS_S_... success codes
  CHECK(FAILED(E_INVALIDARG));
  CHECK(HRESULT_CODE(E_INVALIDARG) == 0x57);
  CHECK(HRESULT_FACILITY(static_cast<HRESULT>(0x80042409)) == 4);
  CHECK(MAKE_HRESULT(1, 4, 0x2409) == static_cast<HRESULT>(0x80042409));
  CHECK(sizeof(L"ab") == 3 * sizeof(WCHAR));  // L"..." compiles; WCHAR is wchar_t (32-bit here)
}

TEST_CASE("compat windows.h: GUIDs compare by value, IUnknown works through its three methods") {
  GUID g = IID_IUnknown;
  CHECK(IsEqualGUID(g, IID_IUnknown));
  CHECK(g != GUID_NULL);
  CHECK(IID_IUnknown.Data4[0] == 0xC0);
  CHECK(IID_IUnknown.Data4[7] == 0x46);
  Counter c;
  IUnknown* u = &c;
  void* out = nullptr;
  CHECK(u->QueryInterface(IID_IUnknown, &out) == S_OK);
  CHECK(out == &c);
  CHECK(u->QueryInterface(GUID_NULL, &out) == E_NOINTERFACE);
  CHECK(out == nullptr);
  CHECK(u->Release() == 1);
  // IUnknown adds one vtable pointer and nothing else (its destructor is protected and not
  // virtual, so the vtable holds only QueryInterface, AddRef and Release).
  static_assert(sizeof(Counter) == sizeof(void*) + sizeof(void*), "vptr + refs (padded)");
  static_assert(!std::is_destructible_v<IUnknown>, "objects are freed by their last Release");
}

TEST_CASE("compat windows.h: CoTaskMemAlloc memory is freed by CoTaskMemFree, ZeroMemory zeroes") {
  auto* p = static_cast<WCHAR*>(CoTaskMemAlloc(4 * sizeof(WCHAR)));
  REQUIRE(p != nullptr);
  ZeroMemory(p, 4 * sizeof(WCHAR));
  CHECK(p[3] == 0);
  CoTaskMemFree(p);
  CoTaskMemFree(nullptr);  // allowed, as on Windows
}
