"""Make ``standins`` mean the stand-in package in these tests.

In importlib mode pytest names the modules of this folder ``standins.tests.*`` and, to do so,
imports ``standins`` from the project folder ``standins/`` as a namespace package, which hides
the real package ``standins/standins``. Drop that namespace package and import the real one.
"""

from __future__ import annotations

import importlib
import sys

if getattr(sys.modules.get("standins"), "__file__", None) is None:
    sys.modules.pop("standins", None)
    importlib.import_module("standins")
