// "Loading VDS", a sample of Microsoft's Virtual Disk Service documentation:
//   https://learn.microsoft.com/windows/win32/vds/loading-vds
// RECONSTRUCTED, not Microsoft's text (lunsim's repository carries no third-party text). It
// rebuilds the sample's program from the page and keeps every construct that decides whether
// the sample compiles: `#include "initguid.h"` first, `#pragma comment(lib, "ole32.lib")`, a
// `_SafeRelease` brace macro, `void __cdecl main(void)`, a C-style `(void **)` cast, and the
// calls CoInitialize(NULL), CoCreateInstance(CLSID_VdsLoader, NULL, CLSCTX_LOCAL_SERVER,
// IID_IVdsServiceLoader, ...), LoadService(NULL, ...), WaitForServiceReady and printf of the
// HRESULT. Like the page's program, it keeps the service pointer (the page says it can now be
// used) and never calls CoUninitialize: lunsim reports that reference as held at the end.
// Built unchanged by tests/compat/CMakeLists.txt with -Dmain=sample_loading_vds; keep it so.
#include "initguid.h"
#include "vds.h"
#include <stdio.h>

#pragma comment( lib, "ole32.lib" )

//
// Releases an interface pointer unless it is NULL, then clears it.
//
#define _SafeRelease(x) { if (NULL != x) { x->Release(); x = NULL; } }

void __cdecl main(void)
{
    HRESULT hResult;
    IVdsServiceLoader *pLoader = NULL;
    IVdsService *pService = NULL;

    //
    // COM first, then the loader object, which starts the service.
    //
    hResult = CoInitialize(NULL);

    if (SUCCEEDED(hResult))
    {
        hResult = CoCreateInstance(CLSID_VdsLoader,
                                   NULL,
                                   CLSCTX_LOCAL_SERVER,
                                   IID_IVdsServiceLoader,
                                   (void **) &pLoader);

        //
        // NULL: the service on this computer.
        //
        if (SUCCEEDED(hResult))
        {
            hResult = pLoader->LoadService(NULL, &pService);
        }

        //
        // The loader is no longer needed.
        //
        _SafeRelease(pLoader);

        if (SUCCEEDED(hResult))
        {
            hResult = pService->WaitForServiceReady();
            if (SUCCEEDED(hResult))
            {
                //
                // pService is ready: query providers and so on from here.
                //
                printf("VDS Service Loaded");
            }
        }
        else
        {
            printf("VDS Service failed hr=%x\n", hResult);
        }
    }
}
