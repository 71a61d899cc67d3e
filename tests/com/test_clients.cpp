// VDS clients the tests load with dlopen (built like a user's client: sim/compat only).
//   forgetful_create_lun   creates a LUN like examples/vds_client.cpp but never releases the
//                          IVdsLun pointer QueryInterface gave it: one leaked reference
//   small_lun              creates a 64 MiB RAID-1 LUN and releases everything (for running
//                          many clients at once)
//   cpp_void_main          C++ linkage, like a sample's `void main(void)` built with
//                          -Dmain=cpp_void_main: loads the service, waits for it, releases all
//   cpp_main               C++ linkage, like `int main(int, char**)` renamed: exit status 0
//                          when it got no arguments, else 3
#include <windows.h>
#include <vds.h>

namespace {

HRESULT create_and_wait(IVdsSubSystem* sub, VDS_LUN_TYPE type, ULONGLONG size, IUnknown** lun) {
  IVdsAsync* async = NULL;
  HRESULT hr = sub->CreateLun(type, size, NULL, 0, NULL, NULL, &async);
  if (FAILED(hr)) return hr;
  if (async == NULL) return E_UNEXPECTED;
  HRESULT op = S_OK;
  VDS_ASYNC_OUTPUT out;
  ZeroMemory(&out, sizeof out);
  hr = async->Wait(&op, &out);
  async->Release();
  if (FAILED(hr)) return hr;
  if (FAILED(op)) return op;
  if (out.type != VDS_ASYNCOUT_CREATELUN || out.cl.pLunUnk == NULL) return E_UNEXPECTED;
  *lun = out.cl.pLunUnk;
  return S_OK;
}

} // namespace

extern "C" HRESULT forgetful_create_lun(IVdsSubSystem* sub) {
  IUnknown* unk = NULL;
  HRESULT hr = create_and_wait(sub, VDS_LT_RAID5, 1ULL << 30, &unk);
  if (FAILED(hr)) return hr;
  IVdsLun* lun = NULL;
  hr = unk->QueryInterface(IID_IVdsLun, reinterpret_cast<void**>(&lun));
  unk->Release();
  return hr;  // forgets lun->Release()
}

extern "C" HRESULT small_lun(IVdsSubSystem* sub) {
  IUnknown* unk = NULL;
  const HRESULT hr = create_and_wait(sub, VDS_LT_MIRROR, 64ULL << 20, &unk);
  if (SUCCEEDED(hr)) unk->Release();
  return hr;
}

// C++ linkage on purpose (sim/com/library.hpp finds these by their mangled names).
void cpp_void_main() {
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED))) return;
  IVdsServiceLoader* loader = NULL;
  if (SUCCEEDED(CoCreateInstance(CLSID_VdsLoader, NULL, CLSCTX_INPROC_SERVER, IID_IVdsServiceLoader,
                                 reinterpret_cast<void**>(&loader)))) {
    IVdsService* service = NULL;
    if (SUCCEEDED(loader->LoadService(NULL, &service))) {
      service->WaitForServiceReady();
      service->Release();
    }
    loader->Release();
  }
  CoUninitialize();
}

int cpp_main(int argc, char** argv) { return argc == 1 && argv[1] == NULL ? 0 : 3; }
