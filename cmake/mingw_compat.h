// Force-included into every translation unit of the Windows cross build (cmake/windows_deps.cmake): mingw's
// <stdlib.h> defines `environ` as a macro, which breaks every member and parameter of that name
// (plan::Facts::environ). Including it first, then dropping the macro, keeps the code as it is on Linux.
#include <stdlib.h>
#undef environ
