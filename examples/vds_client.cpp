// A VDS client in the style of Windows storage-management code: it includes <windows.h> and
// "vds.h", goes through the VDS loader and service to the hardware providers' subsystems,
// creates a RAID-5 LUN with IVdsSubSystem::CreateLun, blocks in IVdsAsync::Wait, checks both
// HRESULTs, the output type and the LUN pointer, asks the LUN for IVdsLun and its properties,
// and releases everything it owns. Nothing in it knows about lunsim: built against sim/compat
// (CMake target lunsim::compat) it is loaded by `lunsim check --client-lib` and
// `lunsim run --client-lib`; the README's "Test your own VDS client" walks through it.
//
// Entry points:
//   vds_create_lun_main(argc, argv)   the whole program: argv[1] is the LUN size in GiB
//                                     (default 6); exit status 0 on success
//   vds_create_lun(IVdsSubSystem*)    the same creation on a subsystem it is handed
#include <windows.h>
#include <vds.h>

#include <stdlib.h>

namespace {

const ULONGLONG kGiB = 1024ULL * 1024 * 1024;

template <class T>
void SafeRelease(T*& p) {
  if (p != NULL) {
    p->Release();
    p = NULL;
  }
}

HRESULT CreateRaid5Lun(IVdsSubSystem* pSubSystem, ULONGLONG ullSize) {
  VDS_HINTS hints;
  ZeroMemory(&hints, sizeof hints);
  hints.ulMaximumDriveCount = 4;
  hints.ulStripeSize = 128 * 1024;
  hints.sRebuildPriority = 8;

  IVdsAsync* pAsync = NULL;
  HRESULT hr = pSubSystem->CreateLun(VDS_LT_RAID5, ullSize, NULL, 0, NULL, &hints, &pAsync);
  if (FAILED(hr)) return hr;  // a failed call's out-parameter is not ours to release
  if (pAsync == NULL) return E_UNEXPECTED;  // S_OK without a handle: nothing to wait on

  HRESULT hrResult = S_OK;
  VDS_ASYNC_OUTPUT output;
  ZeroMemory(&output, sizeof output);
  hr = pAsync->Wait(&hrResult, &output);
  if (SUCCEEDED(hr)) hr = hrResult;  // the operation's result, once the call itself worked

  IUnknown* pLunUnk = SUCCEEDED(hr) ? output.cl.pLunUnk : NULL;
  if (SUCCEEDED(hr) && output.type != VDS_ASYNCOUT_CREATELUN) hr = E_UNEXPECTED;
  else if (SUCCEEDED(hr) && pLunUnk == NULL) hr = E_UNEXPECTED;

  if (SUCCEEDED(hr)) {
    IVdsLun* pLun = NULL;
    hr = pLunUnk->QueryInterface(IID_IVdsLun, reinterpret_cast<void**>(&pLun));
    if (SUCCEEDED(hr)) {
      VDS_LUN_PROP prop;
      ZeroMemory(&prop, sizeof prop);
      if (SUCCEEDED(pLun->GetProperties(&prop))) {  // the strings are ours to free
        CoTaskMemFree(prop.pwszFriendlyName);
        CoTaskMemFree(prop.pwszIdentification);
        CoTaskMemFree(prop.pwszUnmaskingList);
      }
      SafeRelease(pLun);
    }
  }
  // Whatever the output type said, an object the successful Wait handed over is ours.
  SafeRelease(pLunUnk);
  SafeRelease(pAsync);
  return hr;
}

/// The first subsystem of the first hardware provider, or an error.
HRESULT FirstSubSystem(IVdsService* pService, IVdsSubSystem** ppSubSystem) {
  IEnumVdsObject* pProviders = NULL;
  HRESULT hr = pService->QueryProviders(VDS_QUERY_HARDWARE_PROVIDERS, &pProviders);
  if (FAILED(hr)) return hr;
  IUnknown* pUnk = NULL;
  ULONG fetched = 0;
  hr = pProviders->Next(1, &pUnk, &fetched);
  SafeRelease(pProviders);
  if (hr != S_OK) return hr == S_FALSE ? VDS_E_OBJECT_NOT_FOUND : hr;

  IVdsHwProvider* pHwProvider = NULL;
  hr = pUnk->QueryInterface(IID_IVdsHwProvider, reinterpret_cast<void**>(&pHwProvider));
  SafeRelease(pUnk);
  if (FAILED(hr)) return hr;

  IEnumVdsObject* pSubSystems = NULL;
  hr = pHwProvider->QuerySubSystems(&pSubSystems);
  SafeRelease(pHwProvider);
  if (FAILED(hr)) return hr;
  hr = pSubSystems->Next(1, &pUnk, &fetched);
  SafeRelease(pSubSystems);
  if (hr != S_OK) return hr == S_FALSE ? VDS_E_OBJECT_NOT_FOUND : hr;

  hr = pUnk->QueryInterface(IID_IVdsSubSystem, reinterpret_cast<void**>(ppSubSystem));
  SafeRelease(pUnk);
  return hr;
}

} // namespace

extern "C" HRESULT vds_create_lun(IVdsSubSystem* pSubSystem) {
  if (pSubSystem == NULL) return E_POINTER;
  return CreateRaid5Lun(pSubSystem, 6 * kGiB);
}

extern "C" int vds_create_lun_main(int argc, char** argv) {
  const ULONGLONG ullSize = (argc > 1 ? strtoull(argv[1], NULL, 10) : 6) * kGiB;
  HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  if (FAILED(hr)) return 1;

  IVdsServiceLoader* pLoader = NULL;
  IVdsService* pService = NULL;
  IVdsSubSystem* pSubSystem = NULL;
  hr = CoCreateInstance(CLSID_VdsLoader, NULL, CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER, IID_IVdsServiceLoader,
                        reinterpret_cast<void**>(&pLoader));
  if (SUCCEEDED(hr)) hr = pLoader->LoadService(NULL, &pService);
  SafeRelease(pLoader);
  if (SUCCEEDED(hr)) hr = pService->WaitForServiceReady();
  if (SUCCEEDED(hr)) hr = FirstSubSystem(pService, &pSubSystem);
  if (SUCCEEDED(hr)) hr = CreateRaid5Lun(pSubSystem, ullSize);
  SafeRelease(pSubSystem);
  SafeRelease(pService);
  CoUninitialize();
  return SUCCEEDED(hr) ? 0 : 1;
}
