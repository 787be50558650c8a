"""Runs first in the frozen MaintDesk (PyInstaller runtime hook): find the bundled fonts and libraries.

Fonts: fontconfig (used by WeasyPrint and by Qt) reads packaging/fonts.conf, bundled as
fonts/fonts.conf: the DejaVu fonts of the letters, then the system's fonts. A FONTCONFIG_FILE set
by the user wins.

Libraries: WeasyPrint opens Pango, PangoFT2, HarfBuzz, HarfBuzz-subset, fontconfig and GObject
with cffi's dlopen by name (weasyprint/text/ffi.py); the spec bundles them in _internal/.
- Linux: PyInstaller's bootloader starts the program with LD_LIBRARY_PATH=_internal, so dlopen by
  name finds the bundled copies (and their own dependencies) first; nothing to do here.
- Windows: WeasyPrint opens them with LOAD_LIBRARY_SEARCH_DEFAULT_DIRS and, when frozen, ignores
  WEASYPRINT_DLL_DIRECTORIES; the bundle's folder is added to that search path.
- macOS: dlopen by leaf name does not look in the bundle, so a name WeasyPrint asks for is opened
  by its full path when the bundle has it (Homebrew's file names carry one more ".0").
"""

import os
import sys


def _maintdesk_rthook():
    bundle = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(sys.executable)))
    fonts_conf = os.path.join(bundle, "fonts", "fonts.conf")
    if os.path.isfile(fonts_conf):
        os.environ.setdefault("FONTCONFIG_FILE", fonts_conf)
    if sys.platform.startswith("win"):
        os.add_dll_directory(bundle)
    elif sys.platform == "darwin":
        import cffi

        original = cffi.FFI.dlopen

        def dlopen(self, name, flags=0):
            if isinstance(name, str) and "/" not in name:
                stem = name[:-len(".dylib")] if name.endswith(".dylib") else None
                for candidate in (name, f"{stem}.0.dylib" if stem else None):
                    if candidate and os.path.isfile(os.path.join(bundle, candidate)):
                        return original(self, os.path.join(bundle, candidate), flags)
            return original(self, name, flags)

        cffi.FFI.dlopen = dlopen


_maintdesk_rthook()
del _maintdesk_rthook
