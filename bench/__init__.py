"""The portal's benchmark: a national-size news corpus served as in
production and loaded over HTTP. Run ``bin/benchmark`` (see
docs/benchmarks.md)."""
