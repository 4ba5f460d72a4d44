.PHONY: run test bench lint format

## Build in release mode and serve on http://127.0.0.1:8080
run:
	scripts/run.sh

## Lint and run every test
test:
	scripts/test.sh

## Benchmarks: chain overhead and HTTP round trip (see Benchmarks/README.md)
bench:
	Benchmarks/run.sh

lint:
	swift format lint --strict --recursive Package.swift Sources Tests plugins

format:
	swift format format --in-place --recursive Package.swift Sources Tests plugins
